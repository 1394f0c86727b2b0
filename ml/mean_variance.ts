/**
 * The scale k-means' and the Gaussian mixture's tolerances are relative to
 * (as in scikit-learn): the mean over features of each feature's variance.
 * Shared by `gmm.ts` and `kmeans/kmeans.ts`, so it sits in `ml/`.
 *
 * @module
 */

/**
 * The mean over features of each feature's variance: the scale that
 * k-means' and the Gaussian mixture's tolerances are relative to, as in
 * scikit-learn.
 *
 * @param points row-major, `points.length / dim` rows
 * @param dim features per row
 * @returns the mean variance (0 for constant data)
 * @example
 * ```ts
 * import { meanVariance } from "./mean_variance.ts";
 *
 * // Feature 0 is 0, 2 (variance 1); feature 1 is constant (variance 0).
 * if (meanVariance(new Float32Array([0, 5, 2, 5]), 2) !== 0.5) throw new Error();
 * ```
 */
export function meanVariance(points: Float32Array, dim: number): number {
  const pointCount = points.length / dim;
  const sums = new Float64Array(dim);
  const squares = new Float64Array(dim);
  for (let row = 0; row < pointCount; row++) {
    for (let i = 0; i < dim; i++) {
      const value = points[row * dim + i]!;
      sums[i] = sums[i]! + value;
      squares[i] = squares[i]! + value * value;
    }
  }
  let total = 0;
  for (let i = 0; i < dim; i++) {
    const mean = sums[i]! / pointCount;
    total += Math.max(0, squares[i]! / pointCount - mean * mean);
  }
  return total / dim;
}
