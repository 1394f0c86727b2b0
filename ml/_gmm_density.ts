/**
 * A fitted Gaussian mixture and the densities it gives points: the E-step
 * of EM (each point's responsibilities and log-likelihood, through the
 * Cholesky factor of every covariance and log-sum-exp, so nothing
 * overflows), which also assigns new points. Private to `ml/`: `gmm.ts` is
 * the public face.
 *
 * @module
 */
import { forwardSubstitution } from "./linear_algebra.ts";

/** A fitted mixture: everything `predictGaussianMixture()` needs to assign new points. */
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

/** Log of 2π, in every density. */
const LOG_TWO_PI = Math.log(2 * Math.PI);

/** A mixture of `k` components in `dim` dimensions, all arrays zero (the M-step fills them). */
export function emptyMixture(k: number, dim: number): GaussianMixture {
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
export function expectationStep(
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

/** The most responsible component of each point (ties go to the lower index). */
export function mostResponsible(responsibilities: Float64Array, k: number): Int32Array {
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
