/**
 * `gc`: removes what no run needs any more. It runs under the exclusive
 * store lock, so no run or check is using the store meanwhile.
 *
 * @module
 */
import { join } from "node:path";
import { readDirIfExists, removeIfExists } from "./_files.ts";
import type { RunRecord } from "./records.ts";
import type { Store } from "./store.ts";

/** What a garbage collection removed, or would remove. */
export interface GarbageReport {
  /** `stage/key` of each stage record removed. */
  readonly stageRecords: string[];
  /** Digests of the objects removed. */
  readonly objects: string[];
  /** Their total size in bytes. */
  readonly bytes: number;
  /** Leftover folders removed: checkpoints of unfinished stages, temporaries of dead runs. */
  readonly leftovers: string[];
  /** Damaged run records kept in `damaged/runs/`, whose references are kept too. */
  readonly damagedRuns: number;
}

/**
 * Removes stage records that no run record references (nor a stage's
 * last-record pointer, nor a damaged run record set aside), then the objects
 * no remaining stage record references, and what crashes leave behind:
 * checkpoints (`scratch/`), temporary files (`tmp/`), key lock files and
 * damaged copies of objects and stage records. Damaged run records stay in
 * `damaged/runs/` until removed by hand.
 *
 * @param store the store; the caller holds its exclusive lock
 * @param dryRun only report what would go
 * @param runs the runs to keep (default: every run record)
 * @returns what was (or would be) removed
 */
export function collectGarbage(
  store: Store,
  dryRun: boolean,
  runs: readonly RunRecord[] = store.listRuns(),
): GarbageReport {
  const keptKeys = new Set<string>();
  for (const run of runs) {
    for (const stage of run.stages) keptKeys.add(`${stage.name}/${stage.key}`);
  }
  const damagedKeys = store.keysInDamagedRuns();
  const kept = [];
  const stageRecords: string[] = [];
  for (const record of store.listStageRecords()) {
    const id = `${record.stage}/${record.key}`;
    const isLast = store.last(record.stage)?.key === record.key;
    if (keptKeys.has(id) || isLast || damagedKeys.has(record.key)) kept.push(record);
    else stageRecords.push(id);
  }
  const referenced = new Set(
    kept.flatMap((record) => Object.values(record.outputs).map((entry) => entry.digest)),
  );
  const objects = store.listObjects().filter((digest) => !referenced.has(digest));
  let bytes = 0;
  for (const digest of objects) bytes += Deno.statSync(store.objectPath(digest)).size;
  const leftovers = [
    ...["scratch", "locks", "damaged/objects", "damaged/stages"].filter((folder) =>
      readDirIfExists(join(store.root, folder)).length > 0
    ),
    ...readDirIfExists(join(store.root, "tmp")).map((entry) => `tmp/${entry.name}`),
  ];
  if (!dryRun) {
    for (const id of stageRecords) Deno.removeSync(join(store.root, "stages", `${id}.json`));
    for (const digest of objects) Deno.removeSync(store.objectPath(digest));
    for (const folder of ["scratch", "locks", "damaged/objects", "damaged/stages"]) {
      removeIfExists(join(store.root, folder));
    }
    store.removeOtherTemporaries();
  }
  const damagedRuns = readDirIfExists(join(store.root, "damaged", "runs")).length;
  return { stageRecords, objects, bytes, leftovers, damagedRuns };
}
