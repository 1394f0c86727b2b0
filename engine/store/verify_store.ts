/**
 * `verify`: re-hashes every object and checks every record's references.
 *
 * @module
 */
import { sha256 } from "../sha256.ts";
import type { Store } from "./store.ts";

/** What `verify` found. */
export interface VerifyReport {
  readonly objectsChecked: number;
  readonly bytesChecked: number;
  /** Objects whose bytes do not hash to their name. */
  readonly damagedObjects: string[];
  /** `stage/key → output digest` for outputs whose object is missing or of the wrong size. */
  readonly missingObjects: string[];
  /** Records that cannot be read (not JSON, or not a record). */
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
 * Checks every object against its digest and every record's references.
 * Reads only; a damaged record is reported, never fatal.
 */
export function verifyStore(store: Store): VerifyReport {
  const damagedRecords: string[] = [];
  const previousWarn = store.warn;
  store.warn = (message) => damagedRecords.push(message.replace(/^skipping damaged /, ""));
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
    for (const record of store.listStageRecords()) {
      recordIds.add(`${record.stage}/${record.key}`);
      for (const [name, entry] of Object.entries(record.outputs)) {
        if (!store.hasObject(entry)) {
          missingObjects.push(`${record.stage}.${name} (${entry.digest})`);
        }
      }
    }
    const danglingReferences: string[] = [];
    for (const run of store.listRuns()) {
      for (const stage of run.stages) {
        if (!recordIds.has(`${stage.name}/${stage.key}`)) {
          danglingReferences.push(`${run.id} → ${stage.name}/${stage.key}`);
        }
      }
    }
    return {
      objectsChecked: digests.length,
      bytesChecked,
      damagedObjects,
      missingObjects,
      damagedRecords,
      danglingReferences,
    };
  } finally {
    store.warn = previousWarn;
  }
}
