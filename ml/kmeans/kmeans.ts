/**
 * k-means clustering on row-major `Float32Array` points: several seeded
 * initialisations, each refined until it converges, the one with the lowest
 * inertia kept; and the assignment of new points to the centroids found.
 * The public module of `ml/kmeans/`: it picks the distance kernel
 * (JavaScript or WebAssembly SIMD) and the assignment step (Hamerly's or
 * Elkan's bounds) for the data, which the private modules implement.
 *
 * @module
 */
import { checkClusteringOptions } from "../check_clustering_options.ts";
import { meanVariance } from "../mean_variance.ts";
import { Random } from "../random.ts";
import type { AssignerKind } from "./_assigners.ts";
import { ELKAN_MAX_BOUNDS, HAMERLY_MAX_DIM } from "./_assigners.ts";
import type { DistanceKernel } from "./_distance.ts";
import { JsDistanceKernel } from "./_distance.ts";
import { kmeansPlusPlusCentroids, kmeansPlusPlusTrials, randomCentroids } from "./_init.ts";
import type { KMeansRun } from "./_run.ts";
import { runKMeans } from "./_run.ts";
import { wasmDistanceKernel } from "./_wasm.ts";

/**
 * How the initial centroids are chosen: `random` takes k distinct points (the
 * seed post's choice); `kmeans++` spreads them out (scikit-learn's default).
 */
export type KMeansInit = "random" | "kmeans++";

/** Parameters of {@link kmeans}; the `cluster` configuration section. */
export interface KMeansOptions {
  /** Number of clusters, an integer in 1..number of points. */
  readonly k: number;
  /** How initial centroids are chosen. */
  readonly init: KMeansInit;
  /** Number of initialisations; the result with the lowest inertia is kept. */
  readonly nInit: number;
  /** Most update steps per initialisation. */
  readonly maxIter: number;
  /**
   * Convergence threshold relative to the data (as in scikit-learn): a run
   * stops once the summed squared centroid shift is at most `tol` times the
   * mean per-feature variance of the points. 0 runs until assignments are
   * stable or `maxIter` is reached.
   */
  readonly tol: number;
  /** Seed of the random choices; equal seeds give equal results. */
  readonly seed: number;
}

/** The clustering {@link kmeans} returns. */
export interface KMeansResult {
  /** Row-major centroids, k×dim. */
  readonly centroids: Float32Array;
  /** Index of the cluster of each point (0..k-1). */
  readonly assignments: Int32Array;
  /** Sum of squared distances from each point to its centroid. */
  readonly inertia: number;
  /** Update steps the kept initialisation took. */
  readonly iterations: number;
  /** Empty clusters re-seeded (with the point farthest from its centroid) in the kept run. */
  readonly reseeded: number;
  /** Which initialisation (0-based) was kept. */
  readonly bestInit: number;
}

/**
 * Clusters `points` into `options.k` groups with k-means: Lloyd's iteration
 * and scikit-learn's stopping rule, with Hamerly's (few features) or Elkan's
 * (many features) exact bounds skipping distances that cannot change an
 * assignment, and WebAssembly SIMD distances on wide rows. An empty cluster
 * is re-seeded with the point farthest from its centroid. Deterministic for
 * a given seed: the same inputs and options give the same bytes.
 *
 * @param points row-major points, `dim` values each
 * @param dim number of features per point
 * @param options number of clusters, initialisation, restarts, stopping rule, seed
 * @returns centroids, assignments, inertia and statistics of the best run
 * @throws {RangeError} when the data is not a whole number of rows, when k is
 *   not an integer in 1..number of points, or when nInit, maxIter or tol are
 *   out of range (stages check configuration first and throw `ConfigError`)
 * @example
 * ```ts
 * import { kmeans } from "./kmeans.ts";
 * const points = new Float32Array([0, 0, 0, 1, 10, 10, 10, 11]);
 * const result = kmeans(points, 2, { k: 2, init: "kmeans++", nInit: 1, maxIter: 100, tol: 1e-4, seed: 0 });
 * if (result.assignments[0] !== result.assignments[1]) throw new Error("split a pair");
 * ```
 */
export function kmeans(points: Float32Array, dim: number, options: KMeansOptions): KMeansResult {
  const pointCount = checkPoints(points, dim);
  const { k, nInit, maxIter, tol } = options;
  checkClusteringOptions(options, pointCount);
  if (!Number.isInteger(nInit) || nInit < 1) {
    throw new RangeError(`nInit must be a positive integer: current value is ${nInit}`);
  }

  const tolerance = tol * meanVariance(points, dim);
  const assignerKind = chooseAssigner(pointCount, dim, k);
  const kernel = distanceKernel(points, dim, Math.max(k, kmeansPlusPlusTrials(k)));
  const random = new Random(options.seed);
  let best: KMeansRun | undefined;
  let bestInit = 0;
  for (let init = 0; init < nInit; init++) {
    const initial = options.init === "random"
      ? randomCentroids(points, dim, k, random)
      : kmeansPlusPlusCentroids(points, dim, k, random, kernel);
    const run = runKMeans(points, dim, initial, maxIter, tolerance, assignerKind, kernel);
    if (best === undefined || run.inertia < best.inertia) {
      best = run;
      bestInit = init;
    }
  }
  // nInit ≥ 1, so there is a best run.
  const { centroids, assignments, inertia, iterations, reseeded } = best!;
  return {
    centroids: Float32Array.from(centroids),
    assignments,
    inertia,
    iterations,
    reseeded,
    bestInit,
  };
}

/**
 * The nearest centroid of each point (ties go to the lower index): how new
 * points (the test set) are assigned to clusters learned on others.
 *
 * @param points row-major points, `dim` values each
 * @param centroids row-major centroids, `dim` values each
 * @param dim number of features per point
 * @returns the index of the nearest centroid of each point
 * @throws {RangeError} when either array is not a whole number of rows, or there are no centroids
 * @example
 * ```ts
 * import { assign } from "./kmeans.ts";
 * const nearest = assign(new Float32Array([0.9, 0.1]), new Float32Array([0, 1]), 1);
 * if (nearest[0] !== 1 || nearest[1] !== 0) throw new Error("wrong centroid");
 * ```
 */
export function assign(points: Float32Array, centroids: Float32Array, dim: number): Int32Array {
  const pointCount = checkPoints(points, dim);
  if (centroids.length === 0 || centroids.length % dim !== 0) {
    throw new RangeError(
      `Cannot assign to ${centroids.length} centroid values: not a positive multiple of dim ${dim}`,
    );
  }
  const k = centroids.length / dim;
  const kernel = distanceKernel(points, dim, k);
  kernel.useCentroids(Float64Array.from(centroids));
  const distances = new Float64Array(k);
  const assignments = new Int32Array(pointCount);
  for (let row = 0; row < pointCount; row++) {
    kernel.squaredDistancesToAll(row, distances);
    let best = 0;
    for (let j = 1; j < k; j++) if (distances[j]! < distances[best]!) best = j;
    assignments[row] = best;
  }
  return assignments;
}

function checkPoints(points: Float32Array, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1 || points.length % dim !== 0) {
    throw new RangeError(
      `Cannot cluster ${points.length} values as rows of ${dim}: dim must be a positive integer dividing the length`,
    );
  }
  return points.length / dim;
}

/** From this many features on, the WebAssembly kernel beats the JavaScript one. */
const WASM_MIN_DIM = 16;

/**
 * The distance kernel for these points: WebAssembly SIMD for wide rows
 * (when available), JavaScript for narrow ones, where calls into
 * WebAssembly would cost more than the arithmetic they save.
 */
function distanceKernel(
  points: Float32Array,
  dim: number,
  centroidCapacity: number,
): DistanceKernel {
  if (dim >= WASM_MIN_DIM) {
    const kernel = wasmDistanceKernel(points, dim, centroidCapacity);
    if (kernel !== undefined) return kernel;
  }
  return new JsDistanceKernel(points, dim);
}

/**
 * Hamerly's single bound wins when distances are cheap (few features);
 * Elkan's per-centroid bounds win when they are expensive, while their
 * memory (k per point) stays modest. All three give the same clustering.
 */
function chooseAssigner(pointCount: number, dim: number, k: number): AssignerKind {
  if (dim < HAMERLY_MAX_DIM) return "hamerly";
  return pointCount * k <= ELKAN_MAX_BOUNDS ? "elkan" : "hamerly";
}
