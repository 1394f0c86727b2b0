/**
 * Gaussian mixture with full covariances, fitted by expectation–maximisation
 * and started from a seeded k-means clustering, as scikit-learn's
 * `GaussianMixture(covariance_type="full", init_params="kmeans")` does.
 * Densities are evaluated through the Cholesky factor of each covariance and
 * combined with log-sum-exp, so no step overflows or divides by zero.
 *
 * @module
 */
import { checkClusteringOptions } from "./check_clustering_options.ts";
import { choleskyFactor, forwardSubstitution } from "./linear_algebra.ts";
import { meanVariance } from "./mean_variance.ts";
import type { KMeansInit } from "./kmeans/kmeans.ts";
import { kmeans } from "./kmeans/kmeans.ts";

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

/** A fitted mixture: everything {@link predictGaussianMixture} needs. */
export interface GaussianMixture {
  /** Number of components. */
  readonly k: number;
  /** Features per point. */
  readonly dim: number;
  /** Mixing weights, summing to 1. */
  readonly weights: Float64Array;
  /** Component means, row-major k×dim. */
  readonly means: Float64Array;
  /** Covariances, k blocks of dim×dim (row-major), regularisation included. */
  readonly covariances: Float64Array;
  /** Lower Cholesky factors of the covariances, same layout. */
  readonly choleskyFactors: Float64Array;
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

/** Log of 2π, in every density. */
const LOG_TWO_PI = Math.log(2 * Math.PI);
/** A component with less total responsibility than this is re-seeded. */
const MIN_COMPONENT_MASS = 1;
/** Added to every component's mass (as scikit-learn does), so no mean divides by 0. */
const MASS_FLOOR = 10 * Number.EPSILON;

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
  let reseeded = maximise(points, responsibilities, mixture, ridge, pointLogLikelihoods, k);

  const history: number[] = [];
  let converged = false;
  let previous = -Infinity;
  let iterations = 0;
  while (iterations < maxIter) {
    const logLikelihood = expect(points, mixture, responsibilities, pointLogLikelihoods);
    iterations++;
    history.push(logLikelihood);
    if (Math.abs(logLikelihood - previous) < tol) {
      converged = true;
      break;
    }
    previous = logLikelihood;
    const collapsed = maximise(
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
    : expect(points, mixture, responsibilities, pointLogLikelihoods);
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
  expect(points, mixture, responsibilities, new Float64Array(pointCount));
  return mostResponsible(responsibilities, mixture.k);
}

function emptyMixture(k: number, dim: number): GaussianMixture {
  return {
    k,
    dim,
    weights: new Float64Array(k),
    means: new Float64Array(k * dim),
    covariances: new Float64Array(k * dim * dim),
    choleskyFactors: new Float64Array(k * dim * dim),
  };
}

/**
 * E-step: fills `responsibilities` (rows sum to 1) and each point's log
 * density `log Σ_j w_j N(x | μ_j, Σ_j)`; returns their mean.
 */
function expect(
  points: Float32Array,
  mixture: GaussianMixture,
  responsibilities: Float64Array,
  pointLogLikelihoods: Float64Array,
): number {
  const { k, dim, weights, means, choleskyFactors } = mixture;
  const pointCount = points.length / dim;
  // log w_j − ½ d log 2π − Σ log L_ii: the part of each log density that
  // does not depend on the point.
  const constants = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let logDeterminant = 0;
    for (let i = 0; i < dim; i++) {
      logDeterminant += Math.log(choleskyFactors[(j * dim + i) * dim + i]!);
    }
    constants[j] = Math.log(weights[j]!) - 0.5 * dim * LOG_TWO_PI - logDeterminant;
  }
  const solved = new Float64Array(dim);
  let total = 0;
  for (let row = 0; row < pointCount; row++) {
    const base = row * k;
    let largest = -Infinity;
    for (let j = 0; j < k; j++) {
      // ‖L⁻¹(x − μ)‖², solving in place.
      for (let i = 0; i < dim; i++) solved[i] = points[row * dim + i]! - means[j * dim + i]!;
      forwardSubstitution(choleskyFactors, dim, solved, solved, j * dim * dim);
      let squaredNorm = 0;
      for (let i = 0; i < dim; i++) squaredNorm += solved[i]! * solved[i]!;
      const logDensity = constants[j]! - 0.5 * squaredNorm;
      responsibilities[base + j] = logDensity;
      if (logDensity > largest) largest = logDensity;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(responsibilities[base + j]! - largest);
    const logSum = largest + Math.log(sum);
    for (let j = 0; j < k; j++) {
      responsibilities[base + j] = Math.exp(responsibilities[base + j]! - logSum);
    }
    pointLogLikelihoods[row] = logSum;
    total += logSum;
  }
  return total / pointCount;
}

/**
 * M-step: weights, means and covariances from the responsibilities, and
 * the covariances' Cholesky factors. Components with less than
 * {@link MIN_COMPONENT_MASS} of responsibility are re-seeded on the points
 * the mixture explains worst (lowest `pointLogLikelihoods`), at most
 * `reseedBudget` of them; returns how many were.
 */
function maximise(
  points: Float32Array,
  responsibilities: Float64Array,
  mixture: GaussianMixture,
  ridge: Ridge,
  pointLogLikelihoods: Float64Array,
  reseedBudget: number,
): number {
  const { k, dim, weights, means, covariances } = mixture;
  const pointCount = points.length / dim;
  const masses = new Float64Array(k).fill(MASS_FLOOR);
  means.fill(0);
  for (let row = 0; row < pointCount; row++) {
    for (let j = 0; j < k; j++) {
      const r = responsibilities[row * k + j]!;
      if (r === 0) continue;
      masses[j] = masses[j]! + r;
      for (let i = 0; i < dim; i++) {
        means[j * dim + i] = means[j * dim + i]! + r * points[row * dim + i]!;
      }
    }
  }
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < dim; i++) means[j * dim + i] = means[j * dim + i]! / masses[j]!;
  }

  // Covariances about the new means (two passes, for precision).
  covariances.fill(0);
  const centred = new Float64Array(dim);
  for (let row = 0; row < pointCount; row++) {
    for (let j = 0; j < k; j++) {
      const r = responsibilities[row * k + j]!;
      if (r === 0) continue;
      for (let i = 0; i < dim; i++) centred[i] = points[row * dim + i]! - means[j * dim + i]!;
      const block = j * dim * dim;
      for (let a = 0; a < dim; a++) {
        const scaled = r * centred[a]!;
        for (let b = 0; b <= a; b++) {
          covariances[block + a * dim + b] = covariances[block + a * dim + b]! +
            scaled * centred[b]!;
        }
      }
    }
  }
  for (let j = 0; j < k; j++) {
    const block = j * dim * dim;
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b <= a; b++) {
        const value = covariances[block + a * dim + b]! / masses[j]! +
          (a === b ? ridge.covarianceReg : 0);
        covariances[block + a * dim + b] = value;
        covariances[block + b * dim + a] = value;
      }
    }
  }

  const collapsed: number[] = [];
  for (let j = 0; j < k; j++) if (masses[j]! < MIN_COMPONENT_MASS) collapsed.push(j);
  const reseeding = collapsed.slice(0, Math.max(0, reseedBudget));
  if (reseeding.length > 0) {
    reseed(points, reseeding, collapsed, mixture, masses, pointLogLikelihoods);
  }
  let totalMass = 0;
  for (let j = 0; j < k; j++) totalMass += masses[j]!;
  for (let j = 0; j < k; j++) weights[j] = masses[j]! / totalMass;
  factorise(mixture, ridge);
  return reseeding.length;
}

/**
 * Re-seeds components: each takes as mean one of the points with the
 * lowest log-likelihood (a different point each, lowest index first on
 * ties), the mean covariance of the components that did not collapse (or
 * the data's own when all did), and one point's worth of mass.
 */
function reseed(
  points: Float32Array,
  reseeding: readonly number[],
  collapsed: readonly number[],
  mixture: GaussianMixture,
  masses: Float64Array,
  pointLogLikelihoods: Float64Array,
): void {
  const { k, dim, means, covariances } = mixture;
  const worst = worstExplained(pointLogLikelihoods, reseeding.length);
  const pooled = new Float64Array(dim * dim);
  const survivors = k - collapsed.length;
  if (survivors > 0) {
    for (let j = 0; j < k; j++) {
      if (collapsed.includes(j)) continue;
      for (let e = 0; e < dim * dim; e++) {
        pooled[e] = pooled[e]! + covariances[j * dim * dim + e]! / survivors;
      }
    }
  } else {
    pooled.set(dataCovariance(points, dim));
  }
  reseeding.forEach((j, index) => {
    const row = worst[index]!;
    for (let i = 0; i < dim; i++) means[j * dim + i] = points[row * dim + i]!;
    covariances.set(pooled, j * dim * dim);
    masses[j] = MIN_COMPONENT_MASS;
  });
}

/** Indices of the `count` lowest values (ties: lower index first). */
function worstExplained(values: Float64Array, count: number): number[] {
  const order = Array.from(values.keys());
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  return order.slice(0, count);
}

function dataCovariance(points: Float32Array, dim: number): Float64Array {
  const pointCount = points.length / dim;
  const mean = new Float64Array(dim);
  for (let row = 0; row < pointCount; row++) {
    for (let i = 0; i < dim; i++) mean[i] = mean[i]! + points[row * dim + i]! / pointCount;
  }
  const covariance = new Float64Array(dim * dim);
  for (let row = 0; row < pointCount; row++) {
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) {
        covariance[a * dim + b] = covariance[a * dim + b]! +
          (points[row * dim + a]! - mean[a]!) * (points[row * dim + b]! - mean[b]!) / pointCount;
      }
    }
  }
  return covariance;
}

/** The diagonal regularisation: the user's, and a floor for singular covariances. */
interface Ridge {
  readonly covarianceReg: number;
  readonly floor: number;
}

/**
 * Cholesky factors of every covariance. A covariance that is singular (all
 * of a component's points coincide, with `covarianceReg` 0) or that
 * rounding left not quite positive definite gets a further ridge, from the
 * floor up, ten times more each try; it is kept in the mixture so the
 * factor and the covariance agree.
 */
function factorise(mixture: GaussianMixture, ridge: Ridge): void {
  const { k, dim, covariances, choleskyFactors } = mixture;
  for (let j = 0; j < k; j++) {
    const block = j * dim * dim;
    const covariance = covariances.subarray(block, block + dim * dim);
    const factor = choleskyFactors.subarray(block, block + dim * dim);
    let extra = Math.max(ridge.covarianceReg, ridge.floor);
    while (choleskyFactor(covariance, dim, 0, factor) === undefined) {
      for (let i = 0; i < dim; i++) covariance[i * dim + i] = covariance[i * dim + i]! + extra;
      extra *= 10;
    }
  }
}

function mostResponsible(responsibilities: Float64Array, k: number): Int32Array {
  const pointCount = responsibilities.length / k;
  const assignments = new Int32Array(pointCount);
  for (let row = 0; row < pointCount; row++) {
    let best = 0;
    for (let j = 1; j < k; j++) {
      if (responsibilities[row * k + j]! > responsibilities[row * k + best]!) best = j;
    }
    assignments[row] = best;
  }
  return assignments;
}

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
