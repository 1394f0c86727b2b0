/**
 * The assignment step of k-means (each point to its nearest centroid), in
 * three exact variants that give the same assignments (up to exact ties):
 *
 * - `lloyd`: every point against every centroid, every iteration; the
 *   reference the other two are tested against.
 * - `hamerly`: Hamerly's bounds (an upper bound on the distance to the own
 *   centroid, one lower bound on the distance to any other) let most points
 *   skip the step with two comparisons; best when distances are cheap (few
 *   features).
 * - `elkan`: Elkan's bounds (one lower bound per centroid) skip most
 *   distance computations even for points that must be checked; best when
 *   distances are expensive (many features). It keeps k bounds per point.
 *
 * @module
 */
import type { DistanceKernel } from "./_distance.ts";
import { squaredCentroidDistance } from "./_distance.ts";

/**
 * The points an assignment step moved to another cluster, so the update step
 * only adjusts the sums of the clusters they left and joined.
 */
export class Changes {
  /** Rows that changed cluster, in the first `count` slots. */
  readonly rows: Int32Array;
  /** The cluster each of them left (-1 when it had none). */
  readonly from: Int32Array;
  /** How many rows changed. */
  count = 0;

  /** @param pointCount the most rows that can change */
  constructor(pointCount: number) {
    this.rows = new Int32Array(pointCount);
    this.from = new Int32Array(pointCount);
  }

  /** Notes that `row` left cluster `from`. */
  record(row: number, from: number): void {
    this.rows[this.count] = row;
    this.from[this.count] = from;
    this.count++;
  }
}

/** An assignment step that may keep state (bounds) across iterations. */
export interface Assigner {
  /**
   * Moves every point to its nearest centroid in `assignments` (-1 for a
   * point not yet assigned) and records in `changes` those that moved.
   */
  assign(centroids: Float64Array, assignments: Int32Array, changes: Changes): void;
  /**
   * Tells the step that centroid j moved by `shift[j]` (Euclidean distance)
   * since the last assignment, so it can loosen its bounds.
   */
  moved(shift: Float64Array): void;
}

/**
 * Centroid shifts not yet applied to Hamerly's bounds, with the largest and
 * second largest: every other centroid moved at most the largest shift, or
 * the second largest when the point's own centroid moved most.
 */
class PendingShift {
  /** Accumulated shift of each centroid. */
  readonly values: Float64Array;
  largest = 0;
  /** The centroid that moved most, or -1. */
  largestAt = -1;
  secondLargest = 0;

  /** @param values where to keep the shifts (zeros), one per centroid */
  constructor(values: Float64Array) {
    this.values = values;
  }

  /** Adds `shift` (Euclidean distance per centroid). */
  add(shift: Float64Array): void {
    const values = this.values;
    this.largest = 0;
    this.largestAt = -1;
    this.secondLargest = 0;
    for (let j = 0; j < values.length; j++) {
      const value = values[j]! + shift[j]!;
      values[j] = value;
      if (value > this.largest) {
        this.secondLargest = this.largest;
        this.largest = value;
        this.largestAt = j;
      } else if (value > this.secondLargest) {
        this.secondLargest = value;
      }
    }
  }

  /** Forgets the shifts once the bounds have taken them. */
  clear(): void {
    this.values.fill(0);
    this.largest = 0;
    this.largestAt = -1;
    this.secondLargest = 0;
  }
}

/** Which assignment step to use. */
export type AssignerKind = "lloyd" | "hamerly" | "elkan";

/** Elkan's bounds cost `k` doubles per point; above this many, use Hamerly. */
export const ELKAN_MAX_BOUNDS = 1 << 24;

/**
 * Below this many features, Hamerly's bounds beat Elkan's. Measured at the
 * two ends only: Hamerly is 2–3× faster on MNIST projected to 3-d, Elkan
 * about 1.5× faster on the 784 pixels; the crossover between is a guess.
 */
export const HAMERLY_MAX_DIM = 16;

/**
 * Builds an assignment step.
 *
 * @param kind which variant
 * @param kernel distances from the points
 * @param k number of centroids
 * @returns the assignment step
 */
export function createAssigner(kind: AssignerKind, kernel: DistanceKernel, k: number): Assigner {
  switch (kind) {
    case "lloyd":
      return new LloydAssigner(kernel, k);
    case "hamerly":
      return new HamerlyAssigner(kernel, k);
    case "elkan":
      return new ElkanAssigner(kernel, k);
    default: {
      const unknown: never = kind;
      throw new Error(`Unknown assignment step ${unknown}`);
    }
  }
}

/** Every point against every centroid. */
class LloydAssigner implements Assigner {
  readonly #kernel: DistanceKernel;
  readonly #distances: Float64Array;

  constructor(kernel: DistanceKernel, k: number) {
    this.#kernel = kernel;
    this.#distances = new Float64Array(k);
  }

  assign(centroids: Float64Array, assignments: Int32Array, changes: Changes): void {
    const distances = this.#distances;
    const kernel = this.#kernel;
    kernel.useCentroids(centroids);
    for (let row = 0; row < assignments.length; row++) {
      kernel.squaredDistancesToAll(row, distances);
      let best = 0;
      for (let j = 1; j < distances.length; j++) if (distances[j]! < distances[best]!) best = j;
      if (best !== assignments[row]) {
        changes.record(row, assignments[row]!);
        assignments[row] = best;
      }
    }
  }

  moved(): void {}
}

/**
 * Hamerly (2010): one upper and one lower bound per point. Centroid shifts
 * are applied to the bounds lazily, in the next assignment's single pass.
 */
class HamerlyAssigner implements Assigner {
  readonly #kernel: DistanceKernel;
  readonly #dim: number;
  readonly #k: number;
  /** Upper bound on each point's distance to its own centroid. */
  readonly #upper: Float64Array;
  /** Lower bound on each point's distance to every other centroid. */
  readonly #lower: Float64Array;
  /** Half the distance from each centroid to its nearest other centroid. */
  readonly #halfToNearest: Float64Array;
  readonly #pending: PendingShift;

  constructor(kernel: DistanceKernel, k: number) {
    this.#kernel = kernel;
    this.#dim = kernel.dim;
    this.#k = k;
    const pointCount = kernel.pointCount;
    this.#upper = new Float64Array(pointCount);
    this.#lower = new Float64Array(pointCount);
    this.#halfToNearest = new Float64Array(k);
    this.#pending = new PendingShift(new Float64Array(k));
  }

  assign(centroids: Float64Array, assignments: Int32Array, changes: Changes): void {
    const k = this.#k;
    const dim = this.#dim;
    const kernel = this.#kernel;
    const upper = this.#upper;
    const lower = this.#lower;
    const halfToNearest = halfCentroidDistances(centroids, dim, k, this.#halfToNearest);
    const { values: shift, largestAt, largest, secondLargest } = this.#pending;
    const distances = new Float64Array(k);
    const pointCount = assignments.length;
    kernel.useCentroids(centroids);
    for (let row = 0; row < pointCount; row++) {
      const label = assignments[row]!;
      if (label >= 0) {
        // Every other centroid moved by at most the largest shift; when the
        // own centroid moved most, the others moved at most the second largest.
        const up = upper[row]! + shift[label]!;
        const low = lower[row]! - (label === largestAt ? secondLargest : largest);
        lower[row] = low;
        const bound = Math.max(halfToNearest[label]!, low);
        if (up <= bound) {
          upper[row] = up;
          continue;
        }
        const tight = Math.sqrt(kernel.squaredDistance(row, label));
        upper[row] = tight;
        if (tight <= bound) continue;
      }
      // Scan every centroid for the nearest and the second nearest.
      kernel.squaredDistancesToAll(row, distances);
      let best = 0;
      let bestSquared = Infinity;
      let secondSquared = Infinity;
      for (let j = 0; j < k; j++) {
        const squared = distances[j]!;
        if (squared < bestSquared) {
          secondSquared = bestSquared;
          bestSquared = squared;
          best = j;
        } else if (squared < secondSquared) {
          secondSquared = squared;
        }
      }
      if (best !== label) {
        changes.record(row, label);
        assignments[row] = best;
      }
      upper[row] = Math.sqrt(bestSquared);
      lower[row] = Math.sqrt(secondSquared);
    }
    this.#pending.clear();
  }

  moved(shift: Float64Array): void {
    this.#pending.add(shift);
  }
}

/** Elkan (2003), as organised in scikit-learn's `_k_means_elkan`. */
class ElkanAssigner implements Assigner {
  readonly #kernel: DistanceKernel;
  readonly #dim: number;
  readonly #k: number;
  /** Upper bound on each point's distance to its own centroid. */
  readonly #upper: Float64Array;
  /** Lower bound on each point's distance to every centroid, point-major. */
  readonly #lower: Float64Array;
  /** Half the distance between every two centroids, k×k. */
  readonly #halfDistances: Float64Array;
  /** Half the distance from each centroid to its nearest other centroid. */
  readonly #halfToNearest: Float64Array;
  /** Shifts not yet applied to the bounds. */
  readonly #shift: Float64Array;

  constructor(kernel: DistanceKernel, k: number) {
    this.#kernel = kernel;
    this.#dim = kernel.dim;
    this.#k = k;
    const pointCount = kernel.pointCount;
    this.#upper = new Float64Array(pointCount);
    this.#lower = new Float64Array(pointCount * k);
    this.#halfDistances = new Float64Array(k * k);
    this.#halfToNearest = new Float64Array(k);
    this.#shift = new Float64Array(k);
  }

  assign(centroids: Float64Array, assignments: Int32Array, changes: Changes): void {
    const k = this.#k;
    const dim = this.#dim;
    const kernel = this.#kernel;
    const upper = this.#upper;
    const lower = this.#lower;
    const shift = this.#shift;
    const half = this.#halfDistances;
    const halfToNearest = halfCentroidDistances(centroids, dim, k, this.#halfToNearest, half);
    const distances = new Float64Array(k);
    kernel.useCentroids(centroids);
    for (let row = 0; row < assignments.length; row++) {
      const base = row * k;
      const start = assignments[row]!;
      if (start < 0) {
        // First assignment: every distance, so every bound starts exact.
        kernel.squaredDistancesToAll(row, distances);
        let best = 0;
        for (let j = 0; j < k; j++) {
          lower[base + j] = Math.sqrt(distances[j]!);
          if (lower[base + j]! < lower[base + best]!) best = j;
        }
        changes.record(row, start);
        assignments[row] = best;
        upper[row] = lower[base + best]!;
        continue;
      }
      for (let j = 0; j < k; j++) {
        const bound = lower[base + j]! - shift[j]!;
        lower[base + j] = bound > 0 ? bound : 0;
      }
      let label = start;
      let up = upper[row]! + shift[label]!;
      // No other centroid is closer than half the gap to the nearest one.
      if (up > halfToNearest[label]!) {
        let tight = false;
        for (let j = 0; j < k; j++) {
          if (j === label || up <= lower[base + j]! || up <= half[label * k + j]!) continue;
          if (!tight) {
            up = Math.sqrt(kernel.squaredDistance(row, label));
            lower[base + label] = up;
            tight = true;
            if (up <= lower[base + j]! || up <= half[label * k + j]!) continue;
          }
          const distance = Math.sqrt(kernel.squaredDistance(row, j));
          lower[base + j] = distance;
          if (distance < up) {
            label = j;
            up = distance;
          }
        }
      }
      if (label !== start) {
        changes.record(row, start);
        assignments[row] = label;
      }
      upper[row] = up;
    }
    shift.fill(0);
  }

  moved(shift: Float64Array): void {
    for (let j = 0; j < this.#k; j++) this.#shift[j] = this.#shift[j]! + shift[j]!;
  }
}

/**
 * Half the distance from each centroid to its nearest other one (Infinity
 * when k = 1): no other centroid can be nearer to a point within it.
 * Elkan's step also keeps half the distance between every two centroids.
 *
 * @param centroids row-major centroids
 * @param dim features per centroid
 * @param k number of centroids
 * @param toNearest receives one value per centroid
 * @param between when given, receives half of every distance, k×k (the diagonal is left alone)
 * @returns `toNearest`
 */
function halfCentroidDistances(
  centroids: Float64Array,
  dim: number,
  k: number,
  toNearest: Float64Array,
  between?: Float64Array,
): Float64Array {
  toNearest.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const distance = 0.5 * Math.sqrt(squaredCentroidDistance(centroids, a, b, dim));
      if (between !== undefined) {
        between[a * k + b] = distance;
        between[b * k + a] = distance;
      }
      if (distance < toNearest[a]!) toNearest[a] = distance;
      if (distance < toNearest[b]!) toNearest[b] = distance;
    }
  }
  return toNearest;
}
