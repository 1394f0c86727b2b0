/**
 * `deno task gc [--keep-last N] [--dry-run] [--json] [--artifacts DIR]`:
 * frees the store. With `--keep-last N`, the run records of all but the N
 * newest experiments go first (named and tagged runs are always kept); then
 * the stage records no remaining run references, the objects no remaining
 * record references, and what killed runs left behind.
 *
 * @module
 */
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder } from "../cli/user_paths.ts";
import { experimentHistory } from "../experiments/history.ts";
import { countOption } from "../cli/jobs_option.ts";
import { collectGarbage } from "../engine/store/collect_garbage.ts";
import { lockStore } from "../engine/store/lock.ts";
import { Store } from "../engine/store/store.ts";
import { pruneReports } from "../report/run_report.ts";

const usage = `Usage: deno task gc [--keep-last N] [--dry-run] [--json] [--artifacts DIR]

Removes what no run record needs: unreferenced stage records and objects,
and the checkpoints and temporary files of killed runs. --keep-last N first
removes the run records of all but the N newest runs (a group of replicates
counts as one; named and tagged runs are kept). --dry-run lists what would
go and removes nothing. It waits for running pipelines to finish.`;

runCommand(async () => {
  const { values } = parseCommandLine(
    Deno.args,
    {
      "dry-run": { type: "boolean" },
      "keep-last": { type: "string" },
      json: { type: "boolean" },
      artifacts: { type: "string" },
    },
    false,
    usage,
  );
  const keepLast = values["keep-last"] === undefined
    ? undefined
    : countOption("--keep-last", values["keep-last"], 1);
  const store = new Store(artifactsFolder(values.artifacts));
  store.requireStore();
  const unlock = await lockStore(
    store.root,
    "exclusive",
    () => console.error("waiting for the runs and checks using the store to finish…"),
  );
  try {
    const dryRun = values["dry-run"] ?? false;
    const history = experimentHistory(store.listRuns());
    const dropped = keepLast === undefined
      ? []
      : history.slice(0, Math.max(0, history.length - keepLast)).filter((experiment) =>
        experiment.runs.every((run) => run.name === undefined && (run.tags ?? []).length === 0)
      );
    const droppedRuns = new Set(dropped.flatMap((experiment) => experiment.runs.map((r) => r.id)));
    if (!dryRun) { for (const id of droppedRuns) store.removeRun(id); }
    const kept = store.listRuns().filter((run) => !droppedRuns.has(run.id));
    const report = collectGarbage(store, dryRun, kept);
    const reports = pruneReports(store.root, dryRun);
    const verb = dryRun ? "would remove" : "removed";
    if (values.json) {
      console.log(
        JSON.stringify({ dryRun, runs: [...droppedRuns], reports, ...report }, null, 2),
      );
      return;
    }
    for (const id of droppedRuns) console.error(`${verb} run record ${id}`);
    for (const id of report.stageRecords) console.error(`${verb} stage record ${id}`);
    for (const leftover of report.leftovers) console.error(`${verb} leftovers in ${leftover}`);
    for (const page of reports) console.error(`${verb} report ${page}`);
    if (report.damagedRuns > 0) {
      console.error(
        `kept ${report.damagedRuns} damaged run record(s) in damaged/runs/ and what they name; ` +
          "remove them by hand to let gc free it",
      );
    }
    console.log(
      `${verb} ${droppedRuns.size} run records, ${report.stageRecords.length} stage records and ` +
        `${report.objects.length} objects (${(report.bytes / 1e6).toFixed(1)} MB)`,
    );
  } finally {
    unlock();
    store.close();
  }
});
