/**
 * `deno task verify [--json] [--artifacts DIR]`: checks every stored object
 * against its digest and every record's references. Exit code 1 when
 * anything is damaged or missing.
 *
 * @module
 */
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder } from "../cli/user_paths.ts";
import { Store } from "../engine/store/store.ts";
import { isHealthy, verifyStore } from "../engine/store/verify_store.ts";
import { lockStore } from "../engine/store/lock.ts";

const usage = `Usage: deno task verify [--json] [--artifacts DIR]

Re-hashes every object in the store and checks that every record's
references are there. Exits 1 when anything is damaged.`;

runCommand(async () => {
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
  store.requireStore();
  // Shared: runs may go on meanwhile, garbage collection may not pull objects away.
  const unlock = await lockStore(
    store.root,
    "shared",
    () => console.error("waiting for the garbage collection that holds the store…"),
  );
  let report;
  try {
    report = verifyStore(store);
  } finally {
    unlock();
  }
  const healthy = isHealthy(report);
  if (values.json) {
    console.log(JSON.stringify({ healthy, ...report }, null, 2));
  } else {
    for (const digest of report.damagedObjects) console.log(`damaged object: ${digest}`);
    for (const missing of report.missingObjects) console.log(`missing object: ${missing}`);
    for (const record of report.damagedRecords) console.log(`damaged record: ${record}`);
    for (const dangling of report.danglingReferences) {
      console.log(`missing stage record: ${dangling}`);
    }
    console.log(
      `${healthy ? "ok" : "DAMAGED"}: ${report.objectsChecked} objects ` +
        `(${
          (report.bytesChecked / 1e6).toFixed(1)
        } MB) checked; ${report.damagedObjects.length} damaged, ` +
        `${report.missingObjects.length} missing, ${report.damagedRecords.length} unreadable records, ` +
        `${report.danglingReferences.length} dangling references`,
    );
  }
  return healthy ? 0 : 1;
});
