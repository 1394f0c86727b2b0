/**
 * `deno task runs [--json] [--artifacts DIR]`: the run history, newest
 * first: id, date, the settings that differ from the default configuration,
 * the headline metrics, and how many stages ran or came from the cache.
 *
 * @module
 */
import { join } from "node:path";
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder } from "../cli/user_paths.ts";
import { loadConfig } from "../config/config_file.ts";
import { projectRoot } from "../cli/project_root.ts";
import { parameterChanges } from "../cli/compare_runs.ts";
import { showValue } from "../engine/show_value.ts";
import { Store } from "../engine/store/store.ts";
import { textTable } from "../cli/text_table.ts";
import { configSchema } from "../stages/dag.ts";

const usage = `Usage: deno task runs [--json] [--artifacts DIR]

Lists the runs in the artifacts folder, newest first.`;

runCommand(() => {
  const { values } = parseCommandLine(
    Deno.args,
    {
      json: { type: "boolean" },
      artifacts: { type: "string" },
    },
    false,
    usage,
  );
  const store = new Store(artifactsFolder(values.artifacts), { readOnly: true });
  const defaults = loadConfig(configSchema, join(projectRoot, "configs", "seed.json"), []);
  const runs = store.listRuns().reverse().map((run) => {
    const metrics = (run.metrics ?? {}) as Record<string, unknown>;
    const score = (name: string) =>
      typeof metrics[name] === "number" ? metrics[name] as number : null;
    return {
      id: run.id,
      startedAt: run.startedAt,
      changes: parameterChanges(defaults, run.config as Record<string, unknown>)
        .map(({ key, new: value }) => ({ key, value })),
      purity: score("purity"),
      accuracy: score("accuracy"),
      nmi: score("nmi"),
      ran: run.stages.filter((stage) => stage.status === "ran").length,
      cached: run.stages.filter((stage) => stage.status === "cached").length,
    };
  });
  if (values.json) {
    console.log(JSON.stringify({ runs }, null, 2));
    return Promise.resolve();
  }
  if (runs.length === 0) {
    console.error(`no runs in ${store.root} yet: 'deno task pipeline' makes one`);
    return Promise.resolve();
  }
  const number = (value: number | null) => value === null ? "—" : value.toFixed(4);
  const rows = runs.map((run) => [
    run.id,
    run.startedAt.slice(0, 16).replace("T", " "),
    number(run.purity),
    number(run.accuracy),
    number(run.nmi),
    `${run.ran}/${run.cached}`,
    run.changes.map(({ key, value }) => `${key}=${showValue(value)}`).join(" ") || "(defaults)",
  ]);
  const header = ["run", "date (UTC)", "purity", "accuracy", "nmi", "ran/cached", "settings"];
  for (const line of textTable(header, rows)) console.log(line);
  return Promise.resolve();
});
