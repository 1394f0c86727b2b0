/**
 * The cache key: a typed record of everything that decides a stage's
 * outputs, each field saying why it is there, hashed in canonical form.
 *
 * @module
 */
import { canonicalJson } from "./canonical_json.ts";
import { sha256 } from "./sha256.ts";

/**
 * Bumped when the store's record layout or the meaning of a key changes, so
 * an old cache is never read with new rules.
 */
export const engineVersion = 2;

/**
 * Everything that decides a stage's outputs. Its canonical JSON, hashed, is
 * the stage's cache key; the stage record keeps it whole so that the next
 * miss can say which field moved.
 */
export interface Fingerprint {
  /** Two stages given the same inputs still compute different things. */
  readonly stage: string;
  /** The configuration sections the stage reads, defaults applied: a setting changes results. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Digest of each upstream output (`normalise.train` → SHA-256): content,
   * not keys, so an upstream stage that re-runs and produces identical bytes
   * leaves this stage cached.
   */
  readonly inputs: Readonly<Record<string, string>>;
  /** Digest of the stage's own source and each project file it imports: edited code re-runs. */
  readonly code: Readonly<Record<string, string>>;
  /** Files outside the store the stage reads, path → size and modification time: edited data re-runs. */
  readonly external: Readonly<Record<string, string>>;
  /** Pinned versions of the libraries its code imports: a new TensorFlow.js may change numbers. */
  readonly libraries: Readonly<Record<string, string>>;
  /** The engine's record format: see {@link engineVersion}. */
  readonly engine: number;
}

/** The cache key of a fingerprint: SHA-256 of its canonical JSON. */
export function fingerprintKey(fingerprint: Fingerprint): string {
  return sha256(canonicalJson(fingerprint));
}
