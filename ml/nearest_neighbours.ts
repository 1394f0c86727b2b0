/**
 * Exact k nearest neighbours by brute force, in blocks: every query is
 * compared with a block of references at a time (the block stays in cache),
 * four references per WebAssembly SIMD instruction, and each query keeps
 * only its k best in a sorted list, so memory is O(queries × k) however many
 * references there are.
 *
 * The scan computes Σ(q − r)² in float32 rather than ‖q‖² − 2q·r + ‖r‖²:
 * the expansion saves one operation per feature but loses digits to
 * cancellation exactly where it matters (near neighbours far from the
 * origin); the distances kept are then recomputed in float64 and re-sorted.
 *
 * @module
 */
import { blockScanner, MAX_SCAN_GROUPS } from "./_nearest_neighbours_scan.ts";

/** Neighbour lists, row-major: `count` rows of `k` entries, nearest first. */
export interface NeighbourLists {
  /** Number of query rows. */
  readonly count: number;
  /** Neighbours per row. */
  readonly k: number;
  /** `indices[row * k + j]`: the reference index of the j-th nearest neighbour of `row`. */
  readonly indices: Int32Array;
  /** `distances[row * k + j]`: its Euclidean distance (not squared). */
  readonly distances: Float32Array;
}

/**
 * The `k` references nearest to each query (Euclidean distance), nearest
 * first; equal distances are ordered by reference index, so the result is
 * deterministic. The search compares float32 distances; the neighbours
 * kept get their distances recomputed in float64 and are re-sorted by them.
 *
 * @param queries row-major query points, `dim` values each
 * @param references row-major reference points, `dim` values each
 * @param dim number of features per point
 * @param k neighbours per query, in 1..number of references
 * @param options which distance kernel to use (tests compare them)
 * @returns the neighbour lists of the queries
 * @throws {RangeError} when an array is not a whole number of rows, or k is out of range
 * @example
 * ```ts
 * import { nearestNeighbours } from "./nearest_neighbours.ts";
 * const references = new Float32Array([0, 1, 5]);
 * const { indices } = nearestNeighbours(new Float32Array([4]), references, 1, 2);
 * if (indices[0] !== 2 || indices[1] !== 1) throw new Error("wrong neighbours");
 * ```
 */
export function nearestNeighbours(
  queries: Float32Array,
  references: Float32Array,
  dim: number,
  k: number,
  options: NeighbourSearchOptions = {},
): NeighbourLists {
  const queryCount = rowCount(queries, dim, "queries");
  const referenceCount = rowCount(references, dim, "references");
  checkNeighbourCount(k, referenceCount, "references");
  const found = searchBlocks(queries, references, dim, k, false, options.kernel ?? "auto");
  return finish(found.indices, queries, references, dim, k, queryCount, 0);
}

/**
 * The neighbour lists of a set of points among themselves, in the form
 * UMAP expects: row i starts with i itself (distance 0), followed by its
 * `k − 1` nearest other points (ties by index). Duplicates of a point come
 * after it, never before, so the first entry is always the point.
 *
 * @param points row-major points, `dim` values each
 * @param dim number of features per point
 * @param k entries per row, the point itself included, in 1..number of points
 * @param options which distance kernel to use (tests compare them)
 * @returns the neighbour lists, one row per point
 * @throws {RangeError} when the array is not a whole number of rows, or k is out of range
 * @example
 * ```ts
 * import { selfNearestNeighbours } from "./nearest_neighbours.ts";
 *
 * // Each row: the point itself, then its nearest other point.
 * const { indices } = selfNearestNeighbours(new Float32Array([0, 1, 5]), 1, 2);
 * if (indices.join() !== "0,1,1,0,2,1") throw new Error(`got ${indices}`);
 * ```
 */
export function selfNearestNeighbours(
  points: Float32Array,
  dim: number,
  k: number,
  options: NeighbourSearchOptions = {},
): NeighbourLists {
  const count = rowCount(points, dim, "points");
  checkNeighbourCount(k, count, "points");
  const others = k > 1
    ? searchBlocks(points, points, dim, k - 1, true, options.kernel ?? "auto")
    : undefined;
  const indices = new Int32Array(count * k);
  for (let row = 0; row < count; row++) {
    indices[row * k] = row;
    if (others !== undefined) {
      indices.set(others.indices.subarray(row * (k - 1), (row + 1) * (k - 1)), row * k + 1);
    }
  }
  return finish(indices, points, points, dim, k, count, 1);
}

/** Options of {@link nearestNeighbours} and {@link selfNearestNeighbours}. */
export interface NeighbourSearchOptions {
  /**
   * "auto" (default): WebAssembly SIMD where available; "js": plain
   * JavaScript. Both give the same neighbours.
   */
  readonly kernel?: "auto" | "js";
}

/** Candidate lists during the search: indices and squared distances, sorted. */
interface Candidates {
  readonly indices: Int32Array;
  readonly squared: Float64Array;
}

/** Bytes of references per block: small enough to stay in the L2 cache for every query. */
const BLOCK_BYTES = 65536;

/**
 * Scans every reference for every query, a block of references at a time,
 * keeping each query's `k` best (by float32 squared distance, then index).
 * With `skipSelf`, reference i is skipped for query i (the queries are the
 * references).
 */
function searchBlocks(
  queries: Float32Array,
  references: Float32Array,
  dim: number,
  k: number,
  skipSelf: boolean,
  kernel: "auto" | "js",
): Candidates {
  const queryCount = queries.length / dim;
  const referenceCount = references.length / dim;
  const scanner = blockScanner(queries, references, dim, kernel);
  const blockGroups = Math.max(1, Math.min(MAX_SCAN_GROUPS, Math.floor(BLOCK_BYTES / (dim * 16))));

  const indices = new Int32Array(queryCount * k).fill(-1);
  const squared = new Float64Array(queryCount * k).fill(Infinity);
  const worst = new Float64Array(queryCount).fill(Infinity);
  // Scans [from, to) for one query and returns its new worst kept distance.
  const scanRange = (query: number, from: number, to: number, threshold: number): number => {
    const candidateCount = scanner.scan(query, from, to, threshold);
    for (let candidate = 0; candidate < candidateCount; candidate++) {
      const firstReference = scanner.candidateGroups[candidate]! * 4;
      for (let lane = 0; lane < 4; lane++) {
        const distance = scanner.candidateDistances[candidate * 4 + lane]!;
        const reference = firstReference + lane;
        // `<=` lets an equal distance through; insert() orders it by index.
        if (
          distance <= threshold && reference < referenceCount &&
          (!skipSelf || reference !== query)
        ) {
          threshold = insert(indices, squared, query * k, k, reference, distance);
        }
      }
    }
    return threshold;
  };
  // A query's threshold starts infinite, and a range scanned with a loose
  // threshold reports most of its references; so the first block is
  // scanned in ranges of doubling length, each with the threshold the
  // previous ones left (tight after a few).
  const firstRange = Math.ceil((k + 1) / 4);
  for (let groupStart = 0; groupStart < scanner.groupCount; groupStart += blockGroups) {
    const groupEnd = Math.min(scanner.groupCount, groupStart + blockGroups);
    for (let query = 0; query < queryCount; query++) {
      let threshold = worst[query]!;
      if (groupStart === 0) {
        for (let from = 0, length = firstRange; from < groupEnd; from += length, length *= 2) {
          threshold = scanRange(query, from, Math.min(groupEnd, from + length), threshold);
        }
      } else {
        threshold = scanRange(query, groupStart, groupEnd, threshold);
      }
      worst[query] = threshold;
    }
  }
  return { indices, squared };
}

/**
 * Inserts a candidate into the sorted list at `base` (k entries) when it
 * beats the last one; returns the new worst squared distance.
 */
function insert(
  indices: Int32Array,
  squared: Float64Array,
  base: number,
  k: number,
  reference: number,
  distance: number,
): number {
  const last = base + k - 1;
  if (distance > squared[last]! || (distance === squared[last]! && reference > indices[last]!)) {
    return squared[last]!;
  }
  let position = last;
  while (
    position > base &&
    (squared[position - 1]! > distance ||
      (squared[position - 1]! === distance && indices[position - 1]! > reference))
  ) {
    squared[position] = squared[position - 1]!;
    indices[position] = indices[position - 1]!;
    position--;
  }
  squared[position] = distance;
  indices[position] = reference;
  return squared[last]!;
}

/**
 * The kept neighbours with float64 distances, re-sorted by them (ties by
 * index, in place in `indices`); the first `fixed` entries of each row stay
 * where they are.
 */
function finish(
  indices: Int32Array,
  queries: Float32Array,
  references: Float32Array,
  dim: number,
  k: number,
  count: number,
  fixed: number,
): NeighbourLists {
  const distances = new Float32Array(count * k);
  const exact = new Float64Array(k);
  const order = Array.from({ length: k }, (_, j) => j);
  const rowIndices = new Int32Array(k);
  for (let row = 0; row < count; row++) {
    for (let j = 0; j < k; j++) {
      const reference = indices[row * k + j]!;
      let sum = 0;
      for (let i = 0; i < dim; i++) {
        const difference = queries[row * dim + i]! - references[reference * dim + i]!;
        sum += difference * difference;
      }
      exact[j] = Math.sqrt(sum);
      rowIndices[j] = reference;
      order[j] = j;
    }
    const sorted = order.slice(fixed).sort((a, b) =>
      exact[a]! - exact[b]! || rowIndices[a]! - rowIndices[b]!
    );
    for (let j = fixed; j < k; j++) {
      const from = sorted[j - fixed]!;
      indices[row * k + j] = rowIndices[from]!;
      distances[row * k + j] = exact[from]!;
    }
    for (let j = 0; j < fixed; j++) distances[row * k + j] = exact[j]!;
  }
  return { count, k, indices, distances };
}

function rowCount(values: Float32Array, dim: number, what: string): number {
  if (!Number.isInteger(dim) || dim < 1 || values.length % dim !== 0) {
    throw new RangeError(
      `Cannot read ${values.length} ${what} values as rows of ${dim}: dim must be a positive ` +
        `integer dividing the length`,
    );
  }
  return values.length / dim;
}

/** Throws unless `k` is an integer in 1..`count` (the number of `what`). */
function checkNeighbourCount(k: number, count: number, what: string): void {
  if (!Number.isInteger(k) || k < 1 || k > count) {
    throw new RangeError(
      `k must be an integer in 1..${count} (the number of ${what}): current value is ${k}`,
    );
  }
}
