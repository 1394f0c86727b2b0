/**
 * `verify`: re-hashes every object and checks every record, without changing
 * anything: damage is reported by name, and left for the next run (which
 * sets it aside and recomputes) or for `gc`.
 *
 * @module
 */
import { sha256 } from "../key/sha256.ts";
import type { Store } from "./store.ts";

/** What `verify` found. */
export interface VerifyReport {
  readonly objectsChecked: number;
  readonly bytesChecked: number;
  readonly recordsChecked: number;
  /** Objects whose bytes do not hash to their name. */
  readonly damagedObjects: string[];
  /** `stage.output (digest)` for outputs whose object is missing or of the wrong size. */
  readonly missingObjects: string[];
  /** Records that cannot be trusted (not JSON, not a record, or changed since written), by path. */
  readonly damagedRecords: string[];
  /** `run → stage/key` for run records that name a stage record that is not there. */
  readonly danglingReferences: string[];
}

/** True when the report found nothing wrong. */
export function isHealthy(report: VerifyReport): boolean {
  return report.damagedObjects.length + report.missingObjects.length +
      report.damagedRecords.length +
      report.danglingReferences.length === 0;
}

/**
 * Checks every object against its digest and every record's seal and
 * references.
 *
 * @param store the store, opened read-only (the caller holds its shared lock)
 * @returns what was checked and what is wrong
 * @throws {NotAStoreError} when the folder is not a store
 */
export function verifyStore(store: Store): VerifyReport {
  store.requireStore();
  const damagedRecords: string[] = [];
  const previousWarn = store.warn;
  store.warn = (message) =>
    damagedRecords.push(message.replace(/^damaged /, "").replace(/: skipped$/, ""));
  try {
    let bytesChecked = 0;
    const damagedObjects: string[] = [];
    const digests = store.listObjects();
    for (const digest of digests) {
      const bytes = Deno.readFileSync(store.objectPath(digest));
      bytesChecked += bytes.length;
      if (sha256(bytes) !== digest) damagedObjects.push(digest);
    }
    const missingObjects: string[] = [];
    const recordIds = new Set<string>();
    const stageRecords = store.listStageRecords();
    for (const record of stageRecords) {
      recordIds.add(`${record.stage}/${record.key}`);
      for (const [name, entry] of Object.entries(record.outputs)) {
        if (!store.hasObject(entry)) {
          missingObjects.push(`${record.stage}.${name} (${entry.digest})`);
        }
      }
    }
    const danglingReferences: string[] = [];
    const runs = store.listRuns();
    for (const run of runs) {
      for (const stage of run.stages) {
        if (stage.status !== "ran" && stage.status !== "cached") continue;
        if (stage.recorded === false) continue;
        if (!recordIds.has(`${stage.name}/${stage.key}`)) {
          danglingReferences.push(`${run.id} → ${stage.name}/${stage.key}`);
        }
      }
    }
    return {
      objectsChecked: digests.length,
      bytesChecked,
      recordsChecked: stageRecords.length + runs.length + damagedRecords.length,
      damagedObjects,
      missingObjects,
      damagedRecords,
      danglingReferences,
    };
  } finally {
    store.warn = previousWarn;
  }
}
