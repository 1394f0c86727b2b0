/**
 * The records the store keeps: what a stage computed under a cache key, and
 * what a run did. Both are sealed with a digest of their content when
 * written (see `record_seal.ts`).
 *
 * @module
 */
import type { Difference } from "../key/explain.ts";
import type { Fingerprint } from "../key/fingerprint.ts";
import type { JsonValue } from "../stage.ts";
import type { ValueKind } from "./value_codec.ts";

/** Where one stage output lives in the store. */
export interface OutputEntry {
  readonly kind: ValueKind;
  /** SHA-256 of the object's bytes, computed once when it was written. */
  readonly digest: string;
  readonly size: number;
}

/** What the store keeps of one stage execution, under its cache key. */
export interface StageRecord {
  readonly stage: string;
  readonly key: string;
  readonly fingerprint: Fingerprint;
  readonly outputs: Readonly<Record<string, OutputEntry>>;
  /** How long the stage computed, in seconds. */
  readonly seconds: number;
  /** When it finished computing (ISO time). */
  readonly finishedAt: string;
  /** Facts the stage noted (loss per epoch, re-seeded clusters). */
  readonly notes: Readonly<Record<string, JsonValue>>;
}

/** How one stage fared in a run. */
export interface StageOutcome {
  readonly name: string;
  readonly key: string;
  /** `ran`: computed by this run; `cached`: served from the store; `failed`: threw. */
  readonly status: "ran" | "cached" | "failed";
  /** The reason in words: "cluster.k changed 10 → 12", or "" when cached. */
  readonly reason: string;
  /** The same reason as data. */
  readonly differences: readonly Difference[];
  /** Seconds this run spent on the stage (waiting for another run included). */
  readonly seconds: number;
  /** When the stage's outputs were computed, by this run or an earlier one. */
  readonly computedAt?: string;
  /** How long that computation took, in seconds. */
  readonly computeSeconds?: number;
  /**
   * False when the stage ran but its result was not recorded (its code
   * changed while it ran): the next run computes it again.
   */
  readonly recorded?: boolean;
  /** Why it failed, when it did. */
  readonly error?: string;
}

/** A run's place in a group of replicates: the same configuration, other seeds. */
export interface RunGroup {
  readonly id: string;
  /** 0-based: the seeds of this replicate are offset by it. */
  readonly index: number;
  readonly size: number;
}

/** What the store keeps of one pipeline run. */
export interface RunRecord {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** `failed` when a stage failed: its outcome says which and why. */
  readonly status: "succeeded" | "failed";
  /** The failure's message, when the run failed. */
  readonly error?: string;
  /** The configuration file the run started from, as given. */
  readonly configFile: string | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly stages: readonly StageOutcome[];
  /** The metrics output of the run, when there is one. */
  readonly metrics: JsonValue;
  /** The replicate group the run belongs to, if any. */
  readonly group?: RunGroup;
  /** A name the user gave the run. */
  readonly name?: string;
  /** Labels the user gave the run. */
  readonly tags?: readonly string[];
  /** Where and with what the run ran: versions, host. */
  readonly provenance?: Readonly<Record<string, JsonValue>>;
}

/** True when `value` is an object whose named fields have the given `typeof`. */
export function hasFields(value: unknown, fields: Record<string, string>): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(fields).every(([name, type]) =>
    typeof record[name] === type && record[name] !== null
  );
}

/** True when `value` has the shape of a stage record (its seal is checked apart). */
export function isStageRecord(value: unknown): value is StageRecord {
  if (
    !hasFields(value, { stage: "string", key: "string", fingerprint: "object", outputs: "object" })
  ) {
    return false;
  }
  return Object.values((value as StageRecord).outputs).every((entry) =>
    hasFields(entry, { kind: "string", digest: "string", size: "number" })
  );
}

/** True when `value` has the shape of a run record (its seal is checked apart). */
export function isRunRecord(value: unknown): value is RunRecord {
  return hasFields(value, { id: "string", startedAt: "string", config: "object" }) &&
    Array.isArray((value as RunRecord).stages) &&
    (value as RunRecord).stages.every((stage) =>
      hasFields(stage, { name: "string", key: "string", status: "string" })
    );
}
