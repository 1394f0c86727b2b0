/**
 * Squared Euclidean distances between points and centroids: the one kernel
 * k-means spends its time in. Points are row-major `Float32Array`s (what
 * stages store); centroids are `Float64Array`s while k-means runs, so their
 * means keep full precision between iterations.
 *
 * Two implementations sit behind {@link DistanceKernel}: plain JavaScript
 * (here), best for a few features, and WebAssembly SIMD (`_wasm.ts`),
 * about three times faster per feature on wide rows such as pixels.
 *
 * @module
 */

/** Distances from the points it was built on to the centroids last given. */
export interface DistanceKernel {
  /** Features per point. */
  readonly dim: number;
  /** Number of points. */
  readonly pointCount: number;
  /** Uses these row-major centroids (`dim` wide) for the calls that follow. */
  useCentroids(centroids: Float64Array): void;
  /** Squared distance from point `row` to centroid `centroid`. */
  squaredDistance(row: number, centroid: number): number;
  /** Squared distances from point `row` to every centroid, into `distances`. */
  squaredDistancesToAll(row: number, distances: Float64Array): void;
}

/** {@link DistanceKernel} in plain JavaScript. */
export class JsDistanceKernel implements DistanceKernel {
  readonly dim: number;
  readonly pointCount: number;
  readonly #points: Float32Array;
  #centroids: Float64Array = new Float64Array(0);

  /**
   * @param points row-major points, `dim` wide (not copied)
   * @param dim features per point
   */
  constructor(points: Float32Array, dim: number) {
    this.#points = points;
    this.dim = dim;
    this.pointCount = points.length / dim;
  }

  useCentroids(centroids: Float64Array): void {
    this.#centroids = centroids;
  }

  squaredDistance(row: number, centroid: number): number {
    // Four partial sums break the dependency chain of a single accumulator.
    const points = this.#points;
    const centroids = this.#centroids;
    const dim = this.dim;
    const p = row * dim;
    const c = centroid * dim;
    let sum0 = 0;
    let sum1 = 0;
    let sum2 = 0;
    let sum3 = 0;
    let i = 0;
    for (const end = dim - (dim & 3); i < end; i += 4) {
      const d0 = points[p + i]! - centroids[c + i]!;
      const d1 = points[p + i + 1]! - centroids[c + i + 1]!;
      const d2 = points[p + i + 2]! - centroids[c + i + 2]!;
      const d3 = points[p + i + 3]! - centroids[c + i + 3]!;
      sum0 += d0 * d0;
      sum1 += d1 * d1;
      sum2 += d2 * d2;
      sum3 += d3 * d3;
    }
    for (; i < dim; i++) {
      const d = points[p + i]! - centroids[c + i]!;
      sum0 += d * d;
    }
    return (sum0 + sum1) + (sum2 + sum3);
  }

  squaredDistancesToAll(row: number, distances: Float64Array): void {
    // Four centroids at a time share each load of the point: about twice as
    // fast as four separate distances.
    const points = this.#points;
    const centroids = this.#centroids;
    const dim = this.dim;
    const k = centroids.length / dim;
    const p = row * dim;
    let j = 0;
    for (; j + 4 <= k; j += 4) {
      const c0 = j * dim;
      const c1 = c0 + dim;
      const c2 = c1 + dim;
      const c3 = c2 + dim;
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      for (let i = 0; i < dim; i++) {
        const value = points[p + i]!;
        const d0 = value - centroids[c0 + i]!;
        const d1 = value - centroids[c1 + i]!;
        const d2 = value - centroids[c2 + i]!;
        const d3 = value - centroids[c3 + i]!;
        sum0 += d0 * d0;
        sum1 += d1 * d1;
        sum2 += d2 * d2;
        sum3 += d3 * d3;
      }
      distances[j] = sum0;
      distances[j + 1] = sum1;
      distances[j + 2] = sum2;
      distances[j + 3] = sum3;
    }
    for (; j < k; j++) distances[j] = this.squaredDistance(row, j);
  }
}

/**
 * Squared Euclidean distance between two rows of the same centroid matrix.
 *
 * @param centroids row-major centroids
 * @param rowA first row
 * @param rowB second row
 * @param dim number of features per row
 * @returns the squared distance
 */
export function squaredCentroidDistance(
  centroids: Float64Array,
  rowA: number,
  rowB: number,
  dim: number,
): number {
  const a = rowA * dim;
  const b = rowB * dim;
  let sum = 0;
  for (let i = 0; i < dim; i++) {
    const d = centroids[a + i]! - centroids[b + i]!;
    sum += d * d;
  }
  return sum;
}
