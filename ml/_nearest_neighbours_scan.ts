/**
 * The inner loop of the exact nearest-neighbour search: squared distances
 * from one query to a block of references, reporting only the groups of four
 * references where at least one is within a threshold (after the first
 * block almost none is, so the caller's bookkeeping costs next to nothing).
 *
 * Two implementations of one interface: WebAssembly SIMD, four references
 * per instruction, generated for the data's number of features (the query's
 * features are held in registers, the loop over features unrolled), and
 * plain JavaScript where WebAssembly SIMD is unavailable. Arithmetic is
 * float32 (Σ(q − r)², no cancellation); the caller recomputes the distances
 * it keeps in float64.
 *
 * References are stored transposed in groups of four: group g holds, for
 * each feature f, the four values of references 4g..4g+3 side by side (one
 * f32x4). A missing reference in the last group is NaN, never within any
 * threshold.
 *
 * @module
 */
import type { Code, FunctionCode } from "./wasm_module.ts";
import {
  compileModule,
  f32,
  f32x4,
  i32,
  increment,
  instantiate,
  MAX_MEMORY_BYTES,
  op,
  squaredDifference,
  v128,
  whileBelow,
} from "./wasm_module.ts";

/** Squared distances of one query to a range of reference groups. */
export interface BlockScanner {
  /** Number of query rows. */
  readonly queryCount: number;
  /** Number of reference rows (a multiple of four after padding: `groupCount × 4`). */
  readonly groupCount: number;
  /**
   * Scans reference groups `[groupStart, groupEnd)` for query `query` and
   * records the groups with a squared distance ≤ `threshold` in
   * {@link candidateGroups} and their four squared distances in
   * {@link candidateDistances}.
   *
   * @returns the number of candidate groups recorded
   */
  scan(query: number, groupStart: number, groupEnd: number, threshold: number): number;
  /** Group index of each candidate of the last scan. */
  readonly candidateGroups: Int32Array;
  /** Four squared distances per candidate of the last scan (NaN for padding). */
  readonly candidateDistances: Float32Array;
}

/** Most reference groups one scan may cover (bounds the candidate buffers). */
export const MAX_SCAN_GROUPS = 1024;

/**
 * `scan(query, group, groupEnd, threshold, out) → count` for `dim`
 * features. Parameters 0–4; locals 5 count, 6 accumulator, 7 difference,
 * 8 threshold in all lanes, 9.. the query's features in all lanes. Each
 * candidate takes 32 bytes at `out`: four f32 distances, then the group's
 * byte address.
 */
function scanFunction(dim: number): FunctionCode {
  const groupBytes = dim * 16;
  const featureDifference = (feature: number): Code =>
    squaredDifference(
      op.localGet(9 + feature),
      [...op.localGet(1), ...op.v128Load(4, feature * 16)],
      f32x4,
      7,
    );
  // out + count × 32: where the next candidate goes.
  const candidateAddress = [
    ...op.localGet(4),
    ...op.localGet(5),
    ...op.i32Const(5),
    ...op.i32Shl,
    ...op.i32Add,
  ];
  return {
    exportName: "scan",
    params: [i32, i32, i32, f32, i32],
    results: [i32],
    locals: [[1, i32], [3 + dim, v128]],
    body: [
      ...Array.from({ length: dim }, (_, feature) => [
        ...op.localGet(0),
        ...op.v128Load32Splat(feature * 4),
        ...op.localSet(9 + feature),
      ]).flat(),
      ...op.localGet(3),
      ...op.f32x4Splat,
      ...op.localSet(8),
      ...whileBelow(1, 2, [
        ...featureDifference(0),
        ...Array.from({ length: dim - 1 }, (_, index) => [
          ...featureDifference(index + 1),
          ...op.f32x4Add,
        ]).flat(),
        ...op.localTee(6),
        ...op.localGet(8),
        ...op.f32x4Le,
        ...op.v128AnyTrue,
        ...op.if,
        // The four distances, then the group's address; count += 1.
        ...candidateAddress,
        ...op.localGet(6),
        ...op.v128Store(0),
        ...candidateAddress,
        ...op.localGet(1),
        ...op.i32Store(16),
        ...increment(5, 1),
        ...op.end,
        ...increment(1, groupBytes),
      ]),
      ...op.localGet(5),
    ],
  };
}

/** The references of `references` transposed into groups of four, NaN-padded. */
function transposeGroups(references: Float32Array, dim: number, target: Float32Array): void {
  const count = references.length / dim;
  target.fill(NaN);
  for (let row = 0; row < count; row++) {
    const base = (row >> 2) * dim * 4 + (row & 3);
    for (let feature = 0; feature < dim; feature++) {
      target[base + feature * 4] = references[row * dim + feature]!;
    }
  }
}

/** The generated `scan` export (byte addresses; see {@link scanFunction}). */
type ScanExport = (
  query: number,
  group: number,
  groupEnd: number,
  threshold: number,
  out: number,
) => number;

/** {@link BlockScanner} in WebAssembly SIMD. */
class WasmScanner implements BlockScanner {
  readonly queryCount: number;
  readonly groupCount: number;
  readonly candidateGroups = new Int32Array(MAX_SCAN_GROUPS);
  readonly candidateDistances = new Float32Array(MAX_SCAN_GROUPS * 4);
  readonly #scan: ScanExport;
  readonly #dim: number;
  readonly #groupBase: number;
  readonly #outBase: number;
  readonly #out: Float32Array;
  readonly #outAddresses: Int32Array;

  constructor(
    module: WebAssembly.Module,
    queries: Float32Array,
    references: Float32Array,
    dim: number,
  ) {
    this.#dim = dim;
    this.queryCount = queries.length / dim;
    this.groupCount = Math.ceil(references.length / dim / 4);
    const queryBytes = queries.length * 4;
    this.#groupBase = Math.ceil(queryBytes / 16) * 16;
    this.#outBase = this.#groupBase + this.groupCount * dim * 16;
    const { instance, memory } = instantiate(module, this.#outBase + MAX_SCAN_GROUPS * 32);
    this.#scan = instance.exports.scan as ScanExport;
    new Float32Array(memory.buffer, 0, queries.length).set(queries);
    transposeGroups(
      references,
      dim,
      new Float32Array(memory.buffer, this.#groupBase, this.groupCount * dim * 4),
    );
    this.#out = new Float32Array(memory.buffer, this.#outBase, MAX_SCAN_GROUPS * 8);
    this.#outAddresses = new Int32Array(memory.buffer, this.#outBase, MAX_SCAN_GROUPS * 8);
  }

  scan(query: number, groupStart: number, groupEnd: number, threshold: number): number {
    const groupBytes = this.#dim * 16;
    const count = this.#scan(
      query * this.#dim * 4,
      this.#groupBase + groupStart * groupBytes,
      this.#groupBase + groupEnd * groupBytes,
      threshold,
      this.#outBase,
    );
    for (let candidate = 0; candidate < count; candidate++) {
      const record = candidate * 8;
      this.candidateDistances.set(this.#out.subarray(record, record + 4), candidate * 4);
      this.candidateGroups[candidate] = (this.#outAddresses[record + 4]! - this.#groupBase) /
        groupBytes;
    }
    return count;
  }
}

/** {@link BlockScanner} in plain JavaScript (same float32 arithmetic, same results). */
class JsScanner implements BlockScanner {
  readonly queryCount: number;
  readonly groupCount: number;
  readonly candidateGroups = new Int32Array(MAX_SCAN_GROUPS);
  readonly candidateDistances = new Float32Array(MAX_SCAN_GROUPS * 4);
  readonly #queries: Float32Array;
  readonly #groups: Float32Array;
  readonly #dim: number;
  readonly #sums = new Float32Array(4);
  readonly #difference = new Float32Array(1);

  constructor(queries: Float32Array, references: Float32Array, dim: number) {
    this.#dim = dim;
    this.#queries = queries;
    this.queryCount = queries.length / dim;
    this.groupCount = Math.ceil(references.length / dim / 4);
    this.#groups = new Float32Array(this.groupCount * dim * 4);
    transposeGroups(references, dim, this.#groups);
  }

  scan(query: number, groupStart: number, groupEnd: number, threshold: number): number {
    const dim = this.#dim;
    const sums = this.#sums;
    const difference = this.#difference;
    let count = 0;
    for (let group = groupStart; group < groupEnd; group++) {
      sums.fill(0);
      for (let feature = 0; feature < dim; feature++) {
        const value = this.#queries[query * dim + feature]!;
        for (let lane = 0; lane < 4; lane++) {
          // Rounded to float32 at each step, as the SIMD kernel does.
          difference[0] = value - this.#groups[(group * dim + feature) * 4 + lane]!;
          sums[lane] = sums[lane]! + Math.fround(difference[0]! * difference[0]!);
        }
      }
      if (sums.some((sum) => sum <= threshold)) {
        this.candidateDistances.set(sums, count * 4);
        this.candidateGroups[count] = group;
        count++;
      }
    }
    return count;
  }
}

/**
 * A scanner of `queries` against `references`: WebAssembly SIMD when the
 * runtime has it and the data fits its memory, JavaScript otherwise (or
 * when `kind` asks for it).
 *
 * @param queries row-major query points, `dim` values each
 * @param references row-major reference points, `dim` values each
 * @param dim features per point
 * @param kind "auto" (the fastest available) or "js"
 * @returns the scanner
 */
export function blockScanner(
  queries: Float32Array,
  references: Float32Array,
  dim: number,
  kind: "auto" | "js" = "auto",
): BlockScanner {
  const bytes = (queries.length + references.length) * 4 + dim * 64 + MAX_SCAN_GROUPS * 32;
  // Null where there is no WebAssembly SIMD: JavaScript then.
  const module = kind === "auto" && bytes <= MAX_MEMORY_BYTES
    ? compileModule([scanFunction(dim)])
    : null;
  if (module !== null) {
    try {
      return new WasmScanner(module, queries, references, dim);
    } catch {
      // The memory could not be had: fall through to JavaScript.
    }
  }
  return new JsScanner(queries, references, dim);
}
