/**
 * The M-step of the Gaussian mixture's EM: weights, means and covariances
 * from the responsibilities, the Cholesky factor of each covariance (with a
 * further ridge where a covariance is singular), and the re-seeding of
 * components that collapsed. Private to `ml/`: `gmm.ts` runs it.
 *
 * @module
 */
import type { GaussianMixture } from "./_gmm_density.ts";
import { choleskyFactor } from "./linear_algebra.ts";

/** A component with less total responsibility than this is re-seeded. */
const MIN_COMPONENT_MASS = 1;
/** Added to every component's mass (as scikit-learn does), so no mean divides by 0. */
const MASS_FLOOR = 10 * Number.EPSILON;

/** The diagonal regularisation: the user's, and a floor for singular covariances. */
export interface Ridge {
  /** Added to every covariance's diagonal (the user's `covarianceReg`). */
  readonly covarianceReg: number;
  /** The smallest further ridge a covariance that is not positive definite gets. */
  readonly floor: number;
}

/**
 * M-step: weights, means and covariances from the responsibilities, and
 * the covariances' Cholesky factors. Components with less than
 * {@link MIN_COMPONENT_MASS} of responsibility are re-seeded on the points
 * the mixture explains worst (lowest `pointLogLikelihoods`), at most
 * `reseedBudget` of them; returns how many were.
 */
export function maximisationStep(
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

/** The covariance of all the points (divided by their number). */
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
