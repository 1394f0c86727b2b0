/**
 * The check of the options k-means and the Gaussian mixture share (the
 * number of clusters and the stopping rule), so that both reject the same
 * values with the same message. It sits in `ml/` rather than in either
 * method's module because the mixture is in `ml/` and k-means in
 * `ml/kmeans/`; it is not part of the folder's public face.
 *
 * @module
 */

/** The options both clustering methods take. */
export interface ClusteringOptions {
  /** Number of clusters (components), an integer in 1..number of points. */
  readonly k: number;
  /** Most iterations, a positive integer. */
  readonly maxIter: number;
  /** Convergence threshold, at least 0. */
  readonly tol: number;
}

/**
 * Throws unless `k` is an integer in 1..`pointCount`, `maxIter` a positive
 * integer and `tol` at least 0.
 *
 * @param options the clustering's options
 * @param pointCount the number of points to cluster
 * @throws {RangeError} naming the first option out of range and its value
 * @example
 * ```ts
 * import { checkClusteringOptions } from "./check_clustering_options.ts";
 *
 * checkClusteringOptions({ k: 2, maxIter: 100, tol: 1e-4 }, 10);
 * try {
 *   checkClusteringOptions({ k: 11, maxIter: 100, tol: 1e-4 }, 10);
 *   throw new Error("accepted k = 11 for 10 points");
 * } catch (error) {
 *   if (!(error instanceof RangeError)) throw error;
 * }
 * ```
 */
export function checkClusteringOptions(options: ClusteringOptions, pointCount: number): void {
  const { k, maxIter, tol } = options;
  if (!Number.isInteger(k) || k < 1 || k > pointCount) {
    throw new RangeError(`k must be an integer in 1..${pointCount}: current value is ${k}`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new RangeError(`maxIter must be a positive integer: current value is ${maxIter}`);
  }
  if (!(tol >= 0)) throw new RangeError(`tol must be at least 0: current value is ${tol}`);
}
