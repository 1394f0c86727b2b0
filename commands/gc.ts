/**
 * `deno task gc [--dry-run] [--artifacts DIR]`: removes the stage records no
 * run references and the objects no remaining record references.
 *
 * @module
 */
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder } from "../cli/user_paths.ts";
import { collectGarbage } from "../engine/store/collect_garbage.ts";
import { lockStore } from "../engine/store/lock.ts";
import { Store } from "../engine/store/store.ts";

const usage = `Usage: deno task gc [--dry-run] [--artifacts DIR]

Removes what no run record needs: unreferenced stage records and objects.
With --dry-run, lists what would go and removes nothing.`;

runCommand(async () => {
  const { values } = parseCommandLine(
    Deno.args,
    {
      "dry-run": { type: "boolean" },
      artifacts: { type: "string" },
    },
    false,
    usage,
  );
  const store = new Store(artifactsFolder(values.artifacts));
  try {
    Deno.statSync(store.root);
  } catch {
    console.log(`nothing to collect: ${store.root} does not exist`);
    return;
  }
  store.requireStore();
  const unlock = await lockStore(
    store.root,
    "exclusive",
    () => console.error("waiting for the runs and checks using the store to finish…"),
  );
  try {
    const dryRun = values["dry-run"] ?? false;
    const report = collectGarbage(store, dryRun);
    const verb = dryRun ? "would remove" : "removed";
    for (const id of report.stageRecords) console.error(`${verb} stage record ${id}`);
    console.log(
      `${verb} ${report.stageRecords.length} stage records and ${report.objects.length} objects ` +
        `(${(report.bytes / 1e6).toFixed(1)} MB)`,
    );
  } finally {
    unlock();
    store.close();
  }
});
