/**
 * A stage's fingerprint in a run: its configuration slice (less the
 * settings it declares cannot change outputs), its inputs' digests, and
 * what was resolved for it before anything ran (code, data, environment).
 *
 * @module
 */
import type { Stage } from "../stage.ts";
import type { StageRecord } from "../store/records.ts";
import type { CodeDigest } from "./code_digest.ts";
import { engineVersion, type Fingerprint } from "./fingerprint.ts";

/** What a stage's key is made from besides its inputs, resolved once per run. */
export interface StageBasis {
  readonly code: CodeDigest;
  /** Data file → SHA-256 of its content. */
  readonly data: Record<string, string>;
  readonly environment: Record<string, string>;
}

/**
 * The configuration sections a stage reads.
 *
 * @param stage the stage
 * @param config the run's configuration
 * @returns section name → its values
 */
export function configSlice(
  stage: Stage<never>,
  config: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const slice: Record<string, unknown> = {};
  for (const section of stage.reads) slice[section] = config[section];
  return slice;
}

/**
 * The stage's fingerprint.
 *
 * @param stage the stage
 * @param config the run's configuration
 * @param upstream the records of the stages it needs, by name
 * @param basis its code, data and environment
 * @returns the fingerprint, whose hash is the cache key
 */
export function stageFingerprint(
  stage: Stage<never>,
  config: Readonly<Record<string, unknown>>,
  upstream: ReadonlyMap<string, StageRecord>,
  basis: StageBasis,
): Fingerprint {
  const inputs: Record<string, string> = {};
  for (const need of stage.needs) {
    const record = upstream.get(need);
    if (record === undefined) throw new Error(`Stage '${need}' has no record yet`);
    for (const [output, entry] of Object.entries(record.outputs)) {
      inputs[`${need}.${output}`] = entry.digest;
    }
  }
  return {
    stage: stage.name,
    config: keyedSlice(stage, config),
    inputs,
    code: basis.code.files,
    data: basis.data,
    libraries: basis.code.libraries,
    environment: basis.environment,
    engine: engineVersion,
  };
}

/** The slice without the settings the stage declares cannot change its outputs. */
function keyedSlice(
  stage: Stage<never>,
  config: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const slice = structuredClone(configSlice(stage, config));
  for (const dotted of stage.unkeyed ?? []) {
    const [section, field] = dotted.split(".");
    const values = slice[section!];
    if (field === undefined) delete slice[section!];
    else if (typeof values === "object" && values !== null) {
      delete (values as Record<string, unknown>)[field];
    }
  }
  return slice;
}
