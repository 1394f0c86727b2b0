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
 */
import type { Code, FunctionCode } from "./wasm_module.ts";
import { encodeModule, i32, op, simd, unsigned, v128 } from "./wasm_module.ts";

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

const f32 = 0x7d;
const PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB; stay well inside it. */
const MAX_MEMORY_BYTES = 2 ** 31;

/** SIMD and scalar instructions the scan needs beyond those of the k-means kernels. */
const scanOp = {
  /** v128.load32_splat: one f32 from memory into all four lanes. */
  load32Splat: (offset: number): Code => simd(0x09, 2, ...unsigned(offset)),
  v128Store: (offset: number): Code => simd(0x0b, 4, ...unsigned(offset)),
  f32x4Splat: simd(0x13),
  f32x4Le: simd(0x45),
  v128AnyTrue: simd(0x53),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  /** i32.store with 4-byte alignment at a constant offset. */
  i32Store: (offset: number): Code => [0x36, 2, ...unsigned(offset)],
  if: [0x04, 0x40],
} as const;

/**
 * `scan(query, group, groupEnd, threshold, out) → count` for `dim`
 * features. Parameters 0–4; locals 5 count, 6 accumulator, 7 difference,
 * 8 threshold in all lanes, 9.. the query's features in all lanes. Each
 * candidate takes 32 bytes at `out`: four f32 distances, then the group's
 * byte address.
 */
function scanFunction(dim: number): FunctionCode {
  const groupBytes = dim * 16;
  const squaredDifference = (feature: number): Code => [
    ...op.localGet(9 + feature),
    ...op.localGet(1),
    ...op.v128Load(4, feature * 16),
    ...scanOp.f32x4Sub,
    ...op.localTee(7),
    ...op.localGet(7),
    ...scanOp.f32x4Mul,
  ];
  return {
    exportName: "scan",
    params: [i32, i32, i32, f32, i32],
    results: [i32],
    locals: [[1, i32], [3 + dim, v128]],
    body: [
      ...Array.from({ length: dim }, (_, feature) => [
        ...op.localGet(0),
        ...scanOp.load32Splat(feature * 4),
        ...op.localSet(9 + feature),
      ]).flat(),
      ...op.localGet(3),
      ...scanOp.f32x4Splat,
      ...op.localSet(8),
      ...op.block,
      ...op.loop,
      ...op.localGet(1),
      ...op.localGet(2),
      ...op.i32GeU,
      ...op.brIf(1),
      ...squaredDifference(0),
      ...Array.from({ length: dim - 1 }, (_, index) => [
        ...squaredDifference(index + 1),
        ...scanOp.f32x4Add,
      ]).flat(),
      ...op.localTee(6),
      ...op.localGet(8),
      ...scanOp.f32x4Le,
      ...scanOp.v128AnyTrue,
      ...scanOp.if,
      // out + count × 32 ← distances; + 16 ← group address; count += 1
      ...op.localGet(4),
      ...op.localGet(5),
      ...op.i32Const(5),
      ...op.i32Shl,
      ...op.i32Add,
      ...op.localGet(6),
      ...scanOp.v128Store(0),
      ...op.localGet(4),
      ...op.localGet(5),
      ...op.i32Const(5),
      ...op.i32Shl,
      ...op.i32Add,
      ...op.localGet(1),
      ...scanOp.i32Store(16),
      ...op.localGet(5),
      ...op.i32Const(1),
      ...op.i32Add,
      ...op.localSet(5),
      ...op.end,
      ...op.localGet(1),
      ...op.i32Const(groupBytes),
      ...op.i32Add,
      ...op.localSet(1),
      ...op.br(0),
      ...op.end,
      ...op.end,
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

  constructor(queries: Float32Array, references: Float32Array, dim: number) {
    this.#dim = dim;
    this.queryCount = queries.length / dim;
    this.groupCount = Math.ceil(references.length / dim / 4);
    const queryBytes = queries.length * 4;
    this.#groupBase = Math.ceil(queryBytes / 16) * 16;
    this.#outBase = this.#groupBase + this.groupCount * dim * 16;
    const bytes = this.#outBase + MAX_SCAN_GROUPS * 32;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
    const module = new WebAssembly.Module(encodeModule([scanFunction(dim)]));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
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
  if (kind === "auto" && bytes <= MAX_MEMORY_BYTES) {
    try {
      return new WasmScanner(queries, references, dim);
    } catch {
      // No WebAssembly SIMD here: fall through to JavaScript.
    }
  }
  return new JsScanner(queries, references, dim);
}
