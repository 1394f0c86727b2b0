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
 * an old cache is never read with new rules. 3: the layout of the project
 * moved (paths are in the keys), data is keyed by content, libraries by
 * their lock-file entries, and the environment joined the key.
 */
export const engineVersion = 3;

/**
 * Everything that decides a stage's outputs. Its canonical JSON, hashed, is
 * the stage's cache key; the stage record keeps it whole so that the next
 * miss can say which field moved.
 */
export interface Fingerprint {
  /** Two stages given the same inputs still compute different things. */
  readonly stage: string;
  /**
   * The configuration sections the stage reads, defaults applied, less the
   * fields shown not to change outputs (such as how often to checkpoint):
   * a setting changes results.
   */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Digest of each upstream output (`normalise.train` → SHA-256): content,
   * not keys, so an upstream stage that re-runs and produces identical bytes
   * leaves this stage cached.
   */
  readonly inputs: Readonly<Record<string, string>>;
  /**
   * SHA-256 of the stage's own source and of each project file it loads
   * (imports, workers, WebAssembly and data files named from code), as they
   * were when the run started: edited code re-runs.
   */
  readonly code: Readonly<Record<string, string>>;
  /**
   * SHA-256 of each file outside the store the stage reads (a user's data),
   * by path: edited, added or removed data re-runs; a file touched but
   * unchanged does not.
   */
  readonly data: Readonly<Record<string, string>>;
  /**
   * Each library the stage's code imports and each package those depend on,
   * as `name@version` → the integrity hash in deno.lock: a new TensorFlow.js,
   * or a changed dependency of it, may change numbers.
   */
  readonly libraries: Readonly<Record<string, string>>;
  /**
   * What else about where the stage runs can change its numbers, as the
   * stage declares it: the backend that actually computes (`wasm`, not
   * `auto`), its thread count, the JavaScript engine's version where its
   * floating-point functions are used.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** The engine's record format: see {@link engineVersion}. */
  readonly engine: number;
}

/** The cache key of a fingerprint: SHA-256 of its canonical JSON. */
export function fingerprintKey(fingerprint: Fingerprint): string {
  return sha256(canonicalJson(fingerprint));
}
