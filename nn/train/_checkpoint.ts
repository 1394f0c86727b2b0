/**
 * Training checkpoints: everything needed to carry on after the last
 * completed epoch as if training had never stopped — the weights, the
 * optimizer's state and update count, the epoch, and the loss history. (The
 * shuffle needs no saved state: each epoch's order is drawn from a generator
 * seeded with the configuration's seed and the epoch number.)
 *
 * One file, `train.checkpoint`: the magic bytes `ENCLCKPT`, a little-endian
 * uint32 header length, the JSON header, then the float32 arrays. It is
 * written under a temporary name and renamed, so a kill while writing leaves
 * the previous checkpoint intact.
 *
 * @module
 */
import { join } from "node:path";

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

const MAGIC = new TextEncoder().encode("ENCLCKPT");
const FILE_NAME = "train.checkpoint";

/**
 * Writes a checkpoint into `dir`, replacing the previous one atomically.
 *
 * @param dir the stage's scratch directory
 * @param checkpoint the state to save
 */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const arrays = [checkpoint.weights, ...checkpoint.slots];
  const header = new TextEncoder().encode(JSON.stringify({
    fingerprint: checkpoint.fingerprint,
    epoch: checkpoint.epoch,
    iterations: checkpoint.iterations,
    history: checkpoint.history,
    lengths: arrays.map((array) => array.length),
  }));
  // Float32 data starts on a multiple of 4 bytes so it can be viewed in place.
  const dataStart = Math.ceil((MAGIC.length + 4 + header.length) / 4) * 4;
  const dataBytes = arrays.reduce((sum, array) => sum + array.byteLength, 0);
  const bytes = new Uint8Array(dataStart + dataBytes);
  bytes.set(MAGIC);
  new DataView(bytes.buffer).setUint32(MAGIC.length, header.length, true);
  bytes.set(header, MAGIC.length + 4);
  const data = new Float32Array(bytes.buffer, dataStart);
  let offset = 0;
  for (const array of arrays) {
    data.set(array, offset);
    offset += array.length;
  }
  const path = join(dir, FILE_NAME);
  const temporary = `${path}.tmp`;
  const file = await Deno.open(temporary, { write: true, create: true, truncate: true });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(temporary, path);
}

/**
 * Reads the checkpoint in `dir`.
 *
 * @param dir the stage's scratch directory
 * @returns the checkpoint, or undefined when there is none
 * @throws {Error} when the file exists but is not a checkpoint
 */
export async function readCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(join(dir, FILE_NAME));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (bytes.length < MAGIC.length + 4 || !MAGIC.every((byte, i) => bytes[i] === byte)) {
    throw new Error(`${join(dir, FILE_NAME)} is not a training checkpoint`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerStart = MAGIC.length + 4;
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength)),
  ) as Omit<Checkpoint, "weights" | "slots"> & { lengths: number[] };
  const dataStart = Math.ceil((headerStart + headerLength) / 4) * 4;
  const data = new Float32Array(bytes.slice(dataStart).buffer);
  const arrays: Float32Array[] = [];
  let offset = 0;
  for (const length of header.lengths) {
    arrays.push(data.slice(offset, offset + length));
    offset += length;
  }
  if (offset !== data.length || arrays.length === 0) {
    throw new Error(`${join(dir, FILE_NAME)} is truncated or corrupt`);
  }
  const [weights, ...slots] = arrays as [Float32Array, ...Float32Array[]];
  return {
    fingerprint: header.fingerprint,
    epoch: header.epoch,
    iterations: header.iterations,
    history: header.history,
    weights,
    slots,
  };
}
