/**
 * Training checkpoints: everything needed to carry on after the last
 * completed epoch as if training had never stopped — the weights, the
 * optimizer's state and update count, the epoch, and the loss history. (The
 * shuffle needs no saved state: each epoch's order is drawn from a generator
 * seeded with the configuration's seed and the epoch number.)
 *
 * A checkpoint is one file: the magic bytes `ENCLCKPT`, the SHA-256 of
 * everything after it, a little-endian uint32 format version and uint32
 * header length, the JSON header, then the float32 arrays (from a multiple
 * of 4 bytes). The digest is what lets a flipped bit or a short write be found
 * rather than resumed from. Reading checks it, the header and the lengths,
 * and that every value is finite (a diverged state is not worth resuming).
 *
 * Two generations are kept, `train.checkpoint` and the one before it,
 * `train.checkpoint.previous`, so a damaged latest one falls back to the
 * previous rather than to the start. The latest becomes the previous, then
 * the new one is written atomically (engine/store/atomic_file.ts), so a kill
 * at any point leaves at least one whole checkpoint.
 *
 * @module
 */
import { join } from "node:path";
import { createHash } from "node:crypto";
import { firstNonFinite } from "./_finite.ts";
import { writeFileAtomically } from "../../engine/store/atomic_file.ts";

/** The saved state of a training run after a completed epoch. */
export interface Checkpoint {
  /** Identifies the run's settings and data; a checkpoint of other settings is ignored. */
  readonly fingerprint: string;
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimizer updates made so far. */
  readonly iterations: number;
  /** Mean loss of each completed epoch. */
  readonly history: readonly number[];
  /** The weights. */
  readonly weights: Float32Array;
  /** The optimizer's state arrays. */
  readonly slots: readonly Float32Array[];
}

/** What reading a checkpoint file found. */
export type CheckpointRead =
  | { readonly status: "missing" }
  | { readonly status: "good"; readonly checkpoint: Checkpoint }
  | { readonly status: "damaged"; readonly reason: string };

const MAGIC = new TextEncoder().encode("ENCLCKPT");
/** 1 had no version field and no digest; 2 added both. */
const FORMAT_VERSION = 2;
const DIGEST_BYTES = 32;
const DIGEST_AT = MAGIC.length;
const VERSION_AT = DIGEST_AT + DIGEST_BYTES;
const HEADER_LENGTH_AT = VERSION_AT + 4;
/** Magic, digest, version, header length. */
const PREFIX_BYTES = HEADER_LENGTH_AT + 4;

/**
 * The checkpoint files of `dir`, newest first: the latest and the one before.
 *
 * @param dir the stage's scratch directory
 * @returns their paths
 */
export function checkpointPaths(dir: string): readonly [string, string] {
  const latest = join(dir, "train.checkpoint");
  return [latest, `${latest}.previous`];
}

/**
 * Writes a checkpoint into `dir`: the latest one becomes the previous, and
 * the new one the latest, each step a rename.
 *
 * @param dir the stage's scratch directory
 * @param checkpoint the state to save
 */
export function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const bytes = encodeCheckpoint(checkpoint);
  const [latest, previous] = checkpointPaths(dir);
  try {
    Deno.renameSync(latest, previous);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  writeFileAtomically(latest, bytes, dir);
  return Promise.resolve();
}

/**
 * A checkpoint's bytes, as {@link writeCheckpoint} writes them.
 *
 * @param checkpoint the state to save
 * @returns the file's content
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const arrays = [checkpoint.weights, ...checkpoint.slots];
  const header = new TextEncoder().encode(JSON.stringify({
    fingerprint: checkpoint.fingerprint,
    epoch: checkpoint.epoch,
    iterations: checkpoint.iterations,
    history: checkpoint.history,
    lengths: arrays.map((array) => array.length),
  }));
  // Float32 data starts on a multiple of 4 bytes so it can be viewed in place.
  const dataStart = Math.ceil((PREFIX_BYTES + header.length) / 4) * 4;
  const dataBytes = arrays.reduce((sum, array) => sum + array.byteLength, 0);
  const bytes = new Uint8Array(dataStart + dataBytes);
  bytes.set(MAGIC);
  const view = new DataView(bytes.buffer);
  view.setUint32(VERSION_AT, FORMAT_VERSION, true);
  view.setUint32(HEADER_LENGTH_AT, header.length, true);
  bytes.set(header, PREFIX_BYTES);
  const data = new Float32Array(bytes.buffer, dataStart);
  let offset = 0;
  for (const array of arrays) {
    data.set(array, offset);
    offset += array.length;
  }
  bytes.set(digestOf(bytes), DIGEST_AT);
  return bytes;
}

/**
 * Reads one checkpoint file, checking everything that can be checked
 * without the run's settings.
 *
 * @param path the file
 * @returns the checkpoint, that there is none, or what is wrong with it
 * @throws {Error} only when the file cannot be read (permissions, I/O)
 */
export async function readCheckpoint(path: string): Promise<CheckpointRead> {
  try {
    return decodeCheckpoint(await Deno.readFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { status: "missing" };
    throw error;
  }
}

/**
 * A checkpoint from its bytes, or what is wrong with them.
 *
 * @param bytes a file's content
 * @returns the checkpoint, or why it cannot be resumed from
 */
export function decodeCheckpoint(bytes: Uint8Array): CheckpointRead {
  const damaged = (reason: string): CheckpointRead => ({ status: "damaged", reason });
  if (bytes.length === 0) return damaged("it is empty");
  if (bytes.length < PREFIX_BYTES) return damaged(`it is truncated (${bytes.length} bytes)`);
  if (!MAGIC.every((byte, i) => bytes[i] === byte)) {
    return damaged("it does not start with ENCLCKPT (not a training checkpoint)");
  }
  const stored = bytes.subarray(DIGEST_AT, DIGEST_AT + DIGEST_BYTES);
  const actual = digestOf(bytes);
  if (!stored.every((byte, i) => byte === actual[i])) {
    return damaged("its SHA-256 does not match its content (damaged, truncated or of format 1)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(VERSION_AT, true);
  if (version !== FORMAT_VERSION) {
    return damaged(`its format version is ${version}, not ${FORMAT_VERSION}`);
  }
  const headerLength = view.getUint32(HEADER_LENGTH_AT, true);
  if (PREFIX_BYTES + headerLength > bytes.length) {
    return damaged(`its header length ${headerLength} runs past the end of the file`);
  }
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)),
    );
  } catch {
    return damaged("its header is not valid JSON");
  }
  if (!isHeader(header)) return damaged("its header lacks or mistypes a field");
  const dataStart = Math.ceil((PREFIX_BYTES + headerLength) / 4) * 4;
  const floats = header.lengths.reduce((sum, length) => sum + length, 0);
  if (header.lengths.length === 0 || dataStart + floats * 4 !== bytes.length) {
    return damaged(
      `its header's array lengths (${header.lengths}) do not match its ${
        bytes.length - dataStart
      } data bytes`,
    );
  }
  const data = new Float32Array(bytes.slice(dataStart).buffer);
  // JSON writes NaN and infinities as null.
  if (firstNonFinite(data) >= 0 || header.history.some((loss) => !Number.isFinite(loss))) {
    return damaged("it holds NaN or infinite values (a diverged state)");
  }
  const arrays: Float32Array[] = [];
  let offset = 0;
  for (const length of header.lengths) {
    arrays.push(data.subarray(offset, offset + length));
    offset += length;
  }
  const [weights, ...slots] = arrays as [Float32Array, ...Float32Array[]];
  return {
    status: "good",
    checkpoint: {
      fingerprint: header.fingerprint,
      epoch: header.epoch,
      iterations: header.iterations,
      history: header.history as number[],
      weights,
      slots,
    },
  };
}

/** The digest of a checkpoint's bytes: SHA-256 of all that follows the digest itself. */
function digestOf(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes.subarray(DIGEST_AT + DIGEST_BYTES)).digest();
}

interface Header {
  readonly fingerprint: string;
  readonly epoch: number;
  readonly iterations: number;
  readonly history: (number | null)[];
  readonly lengths: number[];
}

function isHeader(value: unknown): value is Header {
  const header = value as Partial<Record<keyof Header, unknown>> | null;
  const count = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  return typeof header === "object" && header !== null &&
    typeof header.fingerprint === "string" && count(header.epoch) && count(header.iterations) &&
    Array.isArray(header.history) && header.history.length === header.epoch &&
    header.history.every((loss) => typeof loss === "number" || loss === null) &&
    Array.isArray(header.lengths) && header.lengths.every(count);
}
