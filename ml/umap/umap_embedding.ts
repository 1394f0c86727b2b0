/**
 * UMAP (McInnes, Healy and Melville, 2018): embeds points so that their
 * k-nearest-neighbour graph is kept, pulling neighbours together and
 * pushing other points apart. N2D (McConville et al.) clusters an
 * autoencoder's encoding after this step.
 *
 * The algorithm is the reference one, on typed arrays: smooth kNN
 * memberships, fuzzy union, spectral start, edge sampling with negative
 * sampling; the curve parameters a and b come from `umap-js` (its
 * least-squares fit, as `umap-learn`'s). The rest of `umap-js` is not used:
 * its fit keeps the graph in string-keyed maps, which took 180 s here on
 * 60,000 points before the first epoch (10 s on 10,000), it has no spectral start,
 * and its `transform` needs its own approximate neighbour search. Here the
 * whole fit of 60,000 points takes about as long as its graph did.
 *
 * @module
 */
import type { EdgeList } from "./_graph.ts";
import { fuzzyGraph, localityOrder, membershipStrengths, smoothDistances } from "./_graph.ts";
import { optimiseLayout, scheduleEdges } from "./_layout.ts";
import { randomLayout, spectralLayout } from "./_spectral.ts";
import type { NeighbourLists } from "../nearest_neighbours.ts";
import { Random } from "../random.ts";

/**
 * How the embedding starts: `spectral` — the leading eigenvectors of the
 * graph's normalised Laplacian (`umap-learn`'s default: clusters start
 * apart, so a class is rarely split in two); `random` — uniform in
 * [−10, 10] (`umap-js`'s only choice).
 */
export type UmapInit = "spectral" | "random";

/** Parameters of {@link fitUmap} and {@link transformUmap}. */
export interface UmapOptions {
  /** Smallest distance between embedded points (0 packs clusters tightly, as N2D wants). */
  readonly minDist: number;
  /** Dimensions of the embedding. */
  readonly nComponents: number;
  /**
   * Epochs of the layout optimisation; null chooses by size as `umap-learn`
   * does (200 above 10,000 points, 500 otherwise). New points get a third
   * of it (null: 100 up to 10,000 points, 30 above).
   */
  readonly nEpochs: number | null;
  /** How the embedding starts. */
  readonly init: UmapInit;
  /** Seed of every random choice; equal seeds give equal bytes. */
  readonly seed: number;
  /** Called after each epoch, for progress. */
  readonly onEpoch?: (epoch: number, nEpochs: number) => void;
}

/** A fitted embedding: what {@link transformUmap} places new points against. */
export interface UmapModel {
  /** Row-major embedding of the fitted points, count × nComponents. */
  readonly embedding: Float32Array;
  /** Dimensions of the embedding. */
  readonly nComponents: number;
  /** Number of fitted points. */
  readonly count: number;
  /** Curve parameter a: embedded similarity 1 / (1 + a·d^(2b)). */
  readonly a: number;
  /** Curve parameter b. */
  readonly b: number;
  /** Epochs the fit ran. */
  readonly nEpochs: number;
  /** Edges of the graph after pruning (both directions counted). */
  readonly edgeCount: number;
}

/** `umap-learn`'s spread: the scale of the curve; min_dist is relative to it. */
const SPREAD = 1;
/** Initial learning rate, negative samples per edge sample, repulsion: `umap-learn`'s defaults. */
const LEARNING_RATE = 1;
const NEGATIVE_SAMPLE_RATE = 5;
const REPULSION_STRENGTH = 1;
/** Nearest neighbours considered fully connected (ρ). */
const LOCAL_CONNECTIVITY = 1;
/** The random start and the spectral one are scaled to this range, as in `umap-learn`. */
const INIT_EXTENT = 10;

/**
 * Embeds points given their self nearest-neighbour lists (row i starting
 * with i, as `selfNearestNeighbours` returns them; k is the lists' width).
 *
 * @param neighbours the points' neighbour lists
 * @param options embedding size, minimum distance, epochs, start, seed
 * @returns the embedding and what placing new points needs
 * @throws {RangeError} when there are fewer than 2 points or neighbours per point,
 *   nComponents is not a positive integer, minDist is negative or nEpochs not positive
 */
export async function fitUmap(
  neighbours: NeighbourLists,
  options: UmapOptions,
): Promise<UmapModel> {
  checkOptions(neighbours, options);
  const { count } = neighbours;
  const { nComponents } = options;
  const nEpochs = options.nEpochs ?? (count > 10_000 ? 200 : 500);
  const { a, b } = await curveParameters(options.minDist);
  const random = new Random(options.seed);

  // Work in an order where neighbours sit close in memory; undone at the end.
  const { graph, order } = localityOrder(fuzzyGraph(neighbours, LOCAL_CONNECTIVITY), count);
  const start = options.init === "spectral"
    ? spectralLayout(graph, count, nComponents, random)
    : randomLayout(count, nComponents, random);
  const embedding = scaleToExtent(start, random);
  const { edges, epochsPerSample } = scheduleEdges(graph, nEpochs);
  optimiseLayout(embedding, embedding, nComponents, edges, epochsPerSample, {
    a,
    b,
    nEpochs,
    learningRate: LEARNING_RATE,
    negativeSampleRate: NEGATIVE_SAMPLE_RATE,
    repulsionStrength: REPULSION_STRENGTH,
    onEpoch: options.onEpoch,
  }, random);
  const result = new Float32Array(count * nComponents);
  for (let row = 0; row < count; row++) {
    result.set(
      embedding.subarray(row * nComponents, (row + 1) * nComponents),
      order[row]! * nComponents,
    );
  }
  return { embedding: result, nComponents, count, a, b, nEpochs, edgeCount: edges.heads.length };
}

/**
 * Places new points in a fitted embedding, as `umap-learn`'s `transform`:
 * each starts at the membership-weighted mean of its neighbours among the
 * fitted points, then only the new points move, attracted to those
 * neighbours and pushed from random fitted points.
 *
 * @param model the fitted embedding
 * @param neighbours each new point's neighbour lists among the fitted points
 * @param options the options of the fit (nEpochs, seed, onEpoch are used)
 * @returns row-major embedding of the new points, count × nComponents
 * @throws {RangeError} when a neighbour index is outside the fitted points
 */
export function transformUmap(
  model: UmapModel,
  neighbours: NeighbourLists,
  options: UmapOptions,
): Float32Array {
  const { count, k, indices } = neighbours;
  const { nComponents } = model;
  for (const index of indices) {
    if (index < 0 || index >= model.count) {
      throw new RangeError(`Neighbour index ${index} is outside the ${model.count} fitted points`);
    }
  }
  if (count === 0) return new Float32Array(0);
  // No neighbour is the point itself, so none is fully connected.
  const { sigmas, rhos } = smoothDistances(neighbours, LOCAL_CONNECTIVITY - 1);
  const strengths = membershipStrengths(neighbours, sigmas, rhos, false);

  const fitted = model.embedding.slice();
  const placed = new Float32Array(count * nComponents);
  for (let row = 0; row < count; row++) {
    let total = 0;
    for (let j = 0; j < k; j++) total += strengths[row * k + j]!;
    for (let j = 0; j < k; j++) {
      // Uniform weights when every membership underflowed to 0.
      const weight = total > 0 ? strengths[row * k + j]! / total : 1 / k;
      const neighbour = indices[row * k + j]!;
      for (let d = 0; d < nComponents; d++) {
        placed[row * nComponents + d] = placed[row * nComponents + d]! +
          weight * fitted[neighbour * nComponents + d]!;
      }
    }
  }

  const nEpochs = options.nEpochs === null
    ? (count <= 10_000 ? 100 : 30)
    : Math.max(1, Math.floor(options.nEpochs / 3));
  const graph: EdgeList = {
    heads: Int32Array.from(indices, (_, entry) => Math.floor(entry / k)),
    tails: Int32Array.from(indices),
    weights: strengths,
  };
  const { edges, epochsPerSample } = scheduleEdges(graph, nEpochs);
  optimiseLayout(placed, fitted, nComponents, edges, epochsPerSample, {
    a: model.a,
    b: model.b,
    nEpochs,
    // `umap-learn` places new points with a quarter of the fit's rate.
    learningRate: LEARNING_RATE / 4,
    negativeSampleRate: NEGATIVE_SAMPLE_RATE,
    repulsionStrength: REPULSION_STRENGTH,
    onEpoch: options.onEpoch,
  }, new Random(options.seed + 1));
  return placed;
}

/**
 * a and b of the curve 1 / (1 + a·d^(2b)) closest to 1 within `minDist`
 * and exp(−(d − minDist)) beyond: `umap-js`'s least-squares fit (loaded
 * on first use).
 *
 * @param minDist the minimum distance
 * @returns the curve parameters
 */
async function curveParameters(minDist: number): Promise<{ a: number; b: number }> {
  const { findABParams } = await import("umap-js/dist/umap.js");
  return findABParams(SPREAD, minDist);
}

function checkOptions(neighbours: NeighbourLists, options: UmapOptions): void {
  if (neighbours.count < 2 || neighbours.k < 2) {
    throw new RangeError(
      `UMAP needs at least 2 points with at least 2 neighbours each: got ${neighbours.count} ` +
        `points with ${neighbours.k}`,
    );
  }
  if (!Number.isInteger(options.nComponents) || options.nComponents < 1) {
    throw new RangeError(
      `nComponents must be a positive integer: current value is ${options.nComponents}`,
    );
  }
  if (!(options.minDist >= 0)) {
    throw new RangeError(`minDist must be at least 0: current value is ${options.minDist}`);
  }
  if (options.nEpochs !== null && (!Number.isInteger(options.nEpochs) || options.nEpochs < 1)) {
    throw new RangeError(
      `nEpochs must be a positive integer or null: current value is ${options.nEpochs}`,
    );
  }
}

/**
 * A start scaled to ±{@link INIT_EXTENT}, in float32, with a little noise
 * added (as `umap-learn` does) so no two points start on the same spot.
 */
function scaleToExtent(start: Float64Array, random: Random): Float32Array {
  let largest = 0;
  for (const value of start) largest = Math.max(largest, Math.abs(value));
  const scale = largest > 0 ? INIT_EXTENT / largest : 1;
  return Float32Array.from(start, (value) => value * scale + random.normal() * 1e-4);
}
