/**
 * One k-means run from given initial centroids: alternate assignment and
 * update until the assignments stop changing, the centroids move less than
 * the tolerance, or the iterations run out (scikit-learn's loop).
 *
 * @module
 */
import type { AssignerKind } from "./_assigners.ts";
import { Changes, createAssigner } from "./_assigners.ts";
import type { DistanceKernel } from "./_distance.ts";

/** What one k-means run ends with. */
export interface KMeansRun {
  /** Row-major centroids, k×dim. */
  readonly centroids: Float64Array;
  /** Nearest centroid of each point. */
  readonly assignments: Int32Array;
  /** Sum of squared distances from each point to its centroid. */
  readonly inertia: number;
  /** Update steps taken. */
  readonly iterations: number;
  /** Times an empty cluster was re-seeded with a far point. */
  readonly reseeded: number;
}

/**
 * Runs k-means from `initial` centroids.
 *
 * @param points row-major points, `dim` wide
 * @param dim number of features per point
 * @param initial row-major initial centroids (not modified)
 * @param maxIter most update steps
 * @param tolerance stop once the summed squared centroid shift is at most this
 * @param assignerKind which (exact) assignment step to use
 * @param kernel distances from `points`
 * @returns the centroids, assignments and statistics of the run
 */
export function runKMeans(
  points: Float32Array,
  dim: number,
  initial: Float64Array,
  maxIter: number,
  tolerance: number,
  assignerKind: AssignerKind,
  kernel: DistanceKernel,
): KMeansRun {
  const pointCount = points.length / dim;
  const k = initial.length / dim;
  const assigner = createAssigner(assignerKind, kernel, k);
  let centroids = initial.slice();
  let updated = new Float64Array(k * dim);
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  const shift = new Float64Array(k);
  // -1: not assigned yet.
  const assignments = new Int32Array(pointCount).fill(-1);
  const changes = new Changes(pointCount);

  let iterations = 0;
  let reseeded = 0;
  let converged = false;
  let sumsValid = false;
  while (iterations < maxIter) {
    iterations++;
    changes.count = 0;
    assigner.assign(centroids, assignments, changes);
    if (sumsValid) applyChanges(points, dim, assignments, changes, sums, counts);
    else sumByCluster(points, dim, assignments, sums, counts);
    sumsValid = true;
    const reseededNow = reseedEmptyClusters(kernel, points, centroids, assignments, sums, counts);
    // Re-seeding moves points in the sums but not in the assignments: start over next time.
    if (reseededNow > 0) sumsValid = false;
    reseeded += reseededNow;
    let shiftTotal = 0;
    for (let j = 0; j < k; j++) {
      const row = j * dim;
      const count = counts[j]!;
      let squaredShift = 0;
      for (let i = 0; i < dim; i++) {
        const mean = sums[row + i]! / count;
        const delta = mean - centroids[row + i]!;
        squaredShift += delta * delta;
        updated[row + i] = mean;
      }
      shift[j] = Math.sqrt(squaredShift);
      shiftTotal += squaredShift;
    }
    [centroids, updated] = [updated, centroids];
    assigner.moved(shift);
    if (changes.count === 0 && reseededNow === 0) {
      // Assignments are stable, so the centroids are already their means.
      converged = true;
      break;
    }
    if (shiftTotal <= tolerance) break;
  }
  // The last update moved the centroids: assign to where they ended up.
  if (!converged) assigner.assign(centroids, assignments, new Changes(pointCount));

  let inertia = 0;
  kernel.useCentroids(centroids);
  for (let row = 0; row < pointCount; row++) {
    inertia += kernel.squaredDistance(row, assignments[row]!);
  }
  return { centroids, assignments, inertia, iterations, reseeded };
}

/**
 * Moves the points that changed cluster between the per-cluster sums and
 * counts: far cheaper than summing again once few points move.
 */
function applyChanges(
  points: Float32Array,
  dim: number,
  assignments: Int32Array,
  changes: Changes,
  sums: Float64Array,
  counts: Float64Array,
): void {
  for (let change = 0; change < changes.count; change++) {
    const row = changes.rows[change]!;
    const from = changes.from[change]!;
    const to = assignments[row]!;
    counts[from] = counts[from]! - 1;
    counts[to] = counts[to]! + 1;
    const source = row * dim;
    const fromRow = from * dim;
    const toRow = to * dim;
    for (let i = 0; i < dim; i++) {
      const value = points[source + i]!;
      sums[fromRow + i] = sums[fromRow + i]! - value;
      sums[toRow + i] = sums[toRow + i]! + value;
    }
  }
}

/** Per-cluster sums of the member points (into `sums`) and member counts. */
function sumByCluster(
  points: Float32Array,
  dim: number,
  assignments: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
): void {
  sums.fill(0);
  counts.fill(0);
  for (let row = 0; row < assignments.length; row++) {
    const label = assignments[row]!;
    counts[label] = counts[label]! + 1;
    const source = row * dim;
    const target = label * dim;
    for (let i = 0; i < dim; i++) sums[target + i] = sums[target + i]! + points[source + i]!;
  }
}

/**
 * Gives every empty cluster one point, the one farthest from its centroid
 * among clusters that can spare one (scikit-learn's relocation; the point's
 * assignment itself is fixed by the next assignment step). Never leaves a
 * cluster with no points to average, so no centroid becomes NaN.
 *
 * @returns how many clusters were re-seeded
 */
function reseedEmptyClusters(
  kernel: DistanceKernel,
  points: Float32Array,
  centroids: Float64Array,
  assignments: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
): number {
  const empty = [];
  for (let j = 0; j < counts.length; j++) if (counts[j] === 0) empty.push(j);
  if (empty.length === 0) return 0;

  const dim = kernel.dim;
  const distances = new Float64Array(assignments.length);
  kernel.useCentroids(centroids);
  for (let row = 0; row < assignments.length; row++) {
    distances[row] = kernel.squaredDistance(row, assignments[row]!);
  }
  for (const cluster of empty) {
    // k ≤ number of points, so some cluster still has two or more members.
    let farthest = -1;
    for (let row = 0; row < assignments.length; row++) {
      if (counts[assignments[row]!]! < 2) continue;
      if (farthest < 0 || distances[row]! > distances[farthest]!) farthest = row;
    }
    const from = assignments[farthest]!;
    distances[farthest] = -Infinity;
    counts[from] = counts[from]! - 1;
    counts[cluster] = 1;
    for (let i = 0; i < dim; i++) {
      const value = points[farthest * dim + i]!;
      sums[from * dim + i] = sums[from * dim + i]! - value;
      sums[cluster * dim + i] = value;
    }
  }
  return empty.length;
}
