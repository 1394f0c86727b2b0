/**
 * Gaussian mixture with full covariances, fitted by expectation–maximisation
 * and started from a seeded k-means clustering, as scikit-learn's
 * `GaussianMixture(covariance_type="full", init_params="kmeans")` does.
 * Densities are evaluated through the Cholesky factor of each covariance and
 * combined with log-sum-exp, so no step overflows or divides by zero.
 *
 * This module holds the public face (the options, the fitted mixture, the
 * EM loop and the assignment of new points); the E-step is in
 * `_gmm_density.ts` and the M-step in `_gmm_maximisation.ts`.
 *
 * @module
 */
import { checkClusteringOptions } from "./check_clustering_options.ts";
import { meanVariance } from "./mean_variance.ts";
import type { KMeansInit } from "./kmeans/kmeans.ts";
import { kmeans } from "./kmeans/kmeans.ts";
import type { GaussianMixture } from "./_gmm_density.ts";
import { emptyMixture, expectationStep, mostResponsible } from "./_gmm_density.ts";
import { maximisationStep } from "./_gmm_maximisation.ts";

export type { GaussianMixture } from "./_gmm_density.ts";

/** Parameters of {@link fitGaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Number of components, an integer in 1..number of points. */
  readonly k: number;
  /** Most EM iterations. */
  readonly maxIter: number;
  /**
   * EM stops when the mean log-likelihood per point improves by less than
   * this (scikit-learn's rule; its default is 1e-3). 0 runs all `maxIter`.
   */
  readonly tol: number;
  /**
   * Added to the diagonal of every covariance (scikit-learn's `reg_covar`,
   * default 1e-6): keeps each covariance positive definite when a component
   * lies flat in some direction.
   */
  readonly covarianceReg: number;
  /** Settings of the k-means run whose clusters start EM. */
  readonly kmeans: {
    readonly init: KMeansInit;
    readonly nInit: number;
    readonly maxIter: number;
    readonly tol: number;
    readonly seed: number;
  };
}

/** What {@link fitGaussianMixture} returns. */
export interface GaussianMixtureResult {
  /** The mixture after the last iteration. */
  readonly mixture: GaussianMixture;
  /** Most probable component of each point (ties go to the lower index). */
  readonly assignments: Int32Array;
  /** Mean log-likelihood per point of the final mixture. */
  readonly logLikelihood: number;
  /** Mean log-likelihood per point after each EM iteration, in order. */
  readonly history: readonly number[];
  /** EM iterations run. */
  readonly iterations: number;
  /** True when EM stopped on `tol` rather than `maxIter`. */
  readonly converged: boolean;
  /**
   * Components re-seeded after holding less than one point's worth of
   * responsibility (at most k in a fit).
   */
  readonly reseeded: number;
}

/**
 * Fits a Gaussian mixture of `options.k` full-covariance components to
 * `points`. The k-means clusters (seeded, deterministic) give the first
 * means, covariances and weights; EM then alternates responsibilities
 * (E-step) and weighted estimates (M-step) until the mean log-likelihood
 * gains less than `tol`. EM never lowers the likelihood, so the history is
 * non-decreasing — up to a hair when `covarianceReg` > 0 (the ridge makes
 * each M-step slightly off the exact maximiser; dips of 1e-12 measured),
 * and except at an iteration where a component had collapsed (less than
 * one point's worth of responsibility) and was re-seeded on the point the
 * mixture explains worst. Deterministic: the same inputs and options give
 * the same bytes.
 *
 * @param points row-major points, `dim` values each
 * @param dim features per point
 * @param options components, stopping rule, regularisation, k-means start
 * @returns the mixture, hard assignments and the log-likelihood history
 * @throws {RangeError} when the data is not a whole number of rows or holds a
 *   non-finite value, k is not in 1..number of points, or maxIter, tol or covarianceReg are out of range
 * @example
 * ```ts
 * import { fitGaussianMixture } from "./gmm.ts";
 * const points = new Float32Array([0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10]);
 * const kmeans = { init: "kmeans++", nInit: 1, maxIter: 100, tol: 1e-4, seed: 0 } as const;
 * const { assignments } = fitGaussianMixture(points, 2, {
 *   k: 2, maxIter: 100, tol: 1e-4, covarianceReg: 1e-6, kmeans,
 * });
 * if (assignments[0] === assignments[3]) throw new Error("merged two groups");
 * ```
 */
export function fitGaussianMixture(
  points: Float32Array,
  dim: number,
  options: GaussianMixtureOptions,
): GaussianMixtureResult {
  const pointCount = rowCount(points, dim);
  const { k, maxIter, tol, covarianceReg } = options;
  checkClusteringOptions(options, pointCount);
  if (!(covarianceReg >= 0) || !Number.isFinite(covarianceReg)) {
    throw new RangeError(
      `covarianceReg must be a finite number ≥ 0: current value is ${covarianceReg}`,
    );
  }

  const start = kmeans(points, dim, { k, ...options.kmeans });
  const responsibilities = new Float64Array(pointCount * k);
  for (let row = 0; row < pointCount; row++) {
    responsibilities[row * k + start.assignments[row]!] = 1;
  }
  const mixture = emptyMixture(k, dim);
  const pointLogLikelihoods = new Float64Array(pointCount);
  const ridge = {
    covarianceReg,
    // The smallest ridge a singular covariance gets, relative to the data's
    // spread so that no density overflows.
    floor: 1e-10 * (meanVariance(points, dim) || 1),
  };
  // Re-seeding a collapsed component can repeat forever when the data
  // cannot support k components; after k re-seeds a collapsed component is
  // left to EM, which keeps it finite (tiny weight, ridge covariance).
  let reseeded = maximisationStep(points, responsibilities, mixture, ridge, pointLogLikelihoods, k);

  const history: number[] = [];
  let converged = false;
  let previous = -Infinity;
  let iterations = 0;
  while (iterations < maxIter) {
    const logLikelihood = expectationStep(points, mixture, responsibilities, pointLogLikelihoods);
    iterations++;
    history.push(logLikelihood);
    if (Math.abs(logLikelihood - previous) < tol) {
      converged = true;
      break;
    }
    previous = logLikelihood;
    const collapsed = maximisationStep(
      points,
      responsibilities,
      mixture,
      ridge,
      pointLogLikelihoods,
      k - reseeded,
    );
    reseeded += collapsed;
    // A re-seed changes the model outside EM: the next gain is not comparable.
    if (collapsed > 0) previous = -Infinity;
  }
  // The last E-step belongs to the mixture as it stands when EM converged;
  // after maxIter iterations the mixture has had one more M-step.
  const logLikelihood = converged
    ? history[history.length - 1]!
    : expectationStep(points, mixture, responsibilities, pointLogLikelihoods);
  return {
    mixture,
    assignments: mostResponsible(responsibilities, k),
    logLikelihood,
    history,
    iterations,
    converged,
    reseeded,
  };
}

/**
 * The most probable component of each point under a fitted mixture: how
 * new points (the test set) are assigned to clusters learned on others.
 *
 * @param mixture a mixture from {@link fitGaussianMixture}
 * @param points row-major points, `mixture.dim` values each (possibly none)
 * @returns the component of each point (ties go to the lower index)
 * @throws {RangeError} when the points are not whole rows of `mixture.dim`, or
 *   one is not finite
 */
export function predictGaussianMixture(mixture: GaussianMixture, points: Float32Array): Int32Array {
  if (points.length === 0) return new Int32Array(0);
  const pointCount = rowCount(points, mixture.dim);
  const responsibilities = new Float64Array(pointCount * mixture.k);
  expectationStep(points, mixture, responsibilities, new Float64Array(pointCount));
  return mostResponsible(responsibilities, mixture.k);
}

/** The number of rows of `points`; throws unless they are whole, non-empty and finite. */
function rowCount(points: Float32Array, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1 || points.length % dim !== 0 || points.length === 0) {
    throw new RangeError(
      `Cannot read ${points.length} values as rows of ${dim}: dim must be a positive integer ` +
        `dividing the length`,
    );
  }
  const bad = points.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new RangeError(
      `Cannot fit a mixture to a non-finite value: row ${Math.floor(bad / dim)}, feature ` +
        `${bad % dim} is ${points[bad]}`,
    );
  }
  return points.length / dim;
}
