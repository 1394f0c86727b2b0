/**
 * Initial centroids for k-means: `random` picks k distinct points, as the
 * seed post does (shuffle, take the first k); `kmeans++` spreads them out
 * with the greedy k-means++ of scikit-learn.
 *
 * @module
 */
import type { Random } from "../random.ts";
import type { DistanceKernel } from "./_distance.ts";

/**
 * k distinct points (by index), chosen uniformly, as centroids.
 *
 * @param points row-major points, `dim` wide
 * @param dim number of features per point
 * @param k number of centroids; at most the number of points
 * @param random source of randomness
 * @returns the centroids, row-major, `k`×`dim`
 */
export function randomCentroids(
  points: Float32Array,
  dim: number,
  k: number,
  random: Random,
): Float64Array {
  const pointCount = points.length / dim;
  // A partial Fisher–Yates shuffle: the first k slots end up a uniform sample.
  const order = new Uint32Array(pointCount);
  for (let i = 0; i < pointCount; i++) order[i] = i;
  const centroids = new Float64Array(k * dim);
  for (let j = 0; j < k; j++) {
    const pick = j + random.int(pointCount - j);
    const chosen = order[pick]!;
    order[pick] = order[j]!;
    order[j] = chosen;
    centroids.set(points.subarray(chosen * dim, (chosen + 1) * dim), j * dim);
  }
  return centroids;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii, with scikit-learn's
 * `2 + ⌊ln k⌋` local trials per centroid): the first centroid is a uniform
 * point, each next one the best of a few candidates drawn with probability
 * proportional to the squared distance to the nearest centroid so far.
 *
 * @param points row-major points, `dim` wide
 * @param dim number of features per point
 * @param k number of centroids; at most the number of points
 * @param random source of randomness
 * @param kernel distances from `points`; needs room for `2 + ⌊ln k⌋` centroids
 * @returns the centroids, row-major, `k`×`dim`
 */
export function kmeansPlusPlusCentroids(
  points: Float32Array,
  dim: number,
  k: number,
  random: Random,
  kernel: DistanceKernel,
): Float64Array {
  const pointCount = points.length / dim;
  const trials = kmeansPlusPlusTrials(k);
  const centroids = new Float64Array(k * dim);

  const first = random.int(pointCount);
  centroids.set(points.subarray(first * dim, (first + 1) * dim), 0);
  // Squared distance from each point to its nearest centroid so far.
  const closest = new Float64Array(pointCount);
  let potential = 0;
  kernel.useCentroids(centroids.subarray(0, dim));
  for (let row = 0; row < pointCount; row++) {
    closest[row] = kernel.squaredDistance(row, 0);
    potential += closest[row]!;
  }

  const cumulative = new Float64Array(pointCount);
  const candidateRows = new Int32Array(trials);
  const candidates = new Float64Array(trials * dim);
  const toCandidates = new Float64Array(trials);
  const candidatePotentials = new Float64Array(trials);
  // What `closest` would become with each candidate, candidate-major.
  const candidateClosest = new Float64Array(trials * pointCount);
  for (let j = 1; j < k; j++) {
    let running = 0;
    for (let row = 0; row < pointCount; row++) {
      running += closest[row]!;
      cumulative[row] = running;
    }
    for (let trial = 0; trial < trials; trial++) {
      const row = Math.min(firstAtLeast(cumulative, random.next() * potential), pointCount - 1);
      candidateRows[trial] = row;
      candidates.set(points.subarray(row * dim, (row + 1) * dim), trial * dim);
    }
    // One pass over the points scores every candidate.
    candidatePotentials.fill(0);
    kernel.useCentroids(candidates);
    for (let row = 0; row < pointCount; row++) {
      kernel.squaredDistancesToAll(row, toCandidates);
      const current = closest[row]!;
      for (let trial = 0; trial < trials; trial++) {
        const distance = Math.min(current, toCandidates[trial]!);
        candidateClosest[trial * pointCount + row] = distance;
        candidatePotentials[trial] = candidatePotentials[trial]! + distance;
      }
    }
    let best = 0;
    for (let trial = 1; trial < trials; trial++) {
      if (candidatePotentials[trial]! < candidatePotentials[best]!) best = trial;
    }
    const chosen = candidateRows[best]!;
    centroids.set(points.subarray(chosen * dim, (chosen + 1) * dim), j * dim);
    closest.set(candidateClosest.subarray(best * pointCount, (best + 1) * pointCount));
    potential = candidatePotentials[best]!;
  }
  return centroids;
}

/** How many candidates greedy k-means++ weighs for each centroid (scikit-learn's rule). */
export function kmeansPlusPlusTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** The first index whose value is ≥ `target` in a non-decreasing array. */
function firstAtLeast(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
