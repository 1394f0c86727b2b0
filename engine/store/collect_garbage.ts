/**
 * `gc`: removes what no run needs any more.
 *
 * @module
 */
import { join } from "node:path";
import type { Store } from "./store.ts";

/** What a garbage collection removed, or would remove. */
export interface GarbageReport {
  readonly stageRecords: string[];
  readonly objects: string[];
  readonly bytes: number;
}

/**
 * Removes what no run needs any more: stage records that no run record (nor
 * a stage's last-record pointer) references, then objects that no remaining
 * stage record references, and leftovers of crashes (temporary and damaged
 * files). The caller holds the store lock.
 *
 * @param store the store
 * @param dryRun only report what would go
 * @returns what was (or would be) removed
 */
export function collectGarbage(store: Store, dryRun: boolean): GarbageReport {
  const keptKeys = new Set<string>();
  for (const run of store.listRuns()) {
    for (const stage of run.stages) keptKeys.add(`${stage.name}/${stage.key}`);
  }
  const kept = [];
  const stageRecords: string[] = [];
  for (const record of store.listStageRecords()) {
    const id = `${record.stage}/${record.key}`;
    const isLast = store.lastStageRecord(record.stage)?.key === record.key;
    if (keptKeys.has(id) || isLast) kept.push(record);
    else stageRecords.push(id);
  }
  const referenced = new Set(
    kept.flatMap((record) => Object.values(record.outputs).map((entry) => entry.digest)),
  );
  const objects = store.listObjects().filter((digest) => !referenced.has(digest));
  let bytes = 0;
  for (const digest of objects) bytes += Deno.statSync(store.objectPath(digest)).size;
  if (!dryRun) {
    for (const id of stageRecords) Deno.removeSync(join(store.root, "stages", `${id}.json`));
    for (const digest of objects) Deno.removeSync(store.objectPath(digest));
    for (const folder of ["tmp", "damaged"]) {
      try {
        Deno.removeSync(join(store.root, folder), { recursive: true });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  }
  return { stageRecords, objects, bytes };
}
