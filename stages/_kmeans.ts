/**
 * What the `cluster` and `baseline` stages share: the k-means settings, the
 * checks of what they are given, and k-means with its outputs. It is a file
 * of its own so that the pixel baseline's cache key holds k-means' code and
 * not the Gaussian mixture's, which only `cluster` runs.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import { assign, kmeans } from "../ml/kmeans/kmeans.ts";
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { StageContext, StageOutputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";

/**
 * The k-means fields: the `baseline` section is made of them, and the
 * `cluster` section adds the choice of method.
 */
export const kmeansSection = {
  k: {
    type: "integer",
    default: 10,
    min: 1,
    doc: "number of clusters; at most the number of training images",
  },
  init: {
    type: "enum",
    values: ["random", "kmeans++"],
    default: "random",
    doc: "initial centroids: 'random' picks k distinct training points (the seed's choice), " +
      "'kmeans++' spreads them out (greedy k-means++, scikit-learn's default)",
  },
  nInit: {
    type: "integer",
    default: 10,
    min: 1,
    doc: "number of initialisations; the one with the lowest inertia (sum of squared " +
      "distances to the centroids) is kept",
  },
  maxIter: {
    type: "integer",
    default: 300,
    min: 1,
    doc: "most k-means iterations per initialisation",
  },
  tol: {
    type: "number",
    default: 1e-4,
    min: 0,
    doc: "an initialisation stops when the centroids move less than this in total (squared), " +
      "relative to the mean variance of the features (scikit-learn's rule); it also stops " +
      "when no point changes cluster",
  },
  seed: {
    type: "integer",
    default: 0,
    doc: "seed of the random initialisations; the same seed gives the same clusters",
  },
} as const satisfies SectionSchema;

/** The k-means fields' values (the `baseline` section has these fields). */
export type KMeansConfig = SectionValues<typeof kmeansSection>;

/**
 * Checks that `train` is N×d with N, d ≥ 1, that `test` has d features, and
 * that k is at most N.
 *
 * @param section the configuration section k came from, for the message
 * @throws {RangeError} on a wrong shape
 * @throws {ConfigError} when k exceeds the number of training points
 */
export function checkClusterInputs(
  train: Tensor<"float32">,
  test: Tensor<"float32">,
  k: number,
  section: string,
): void {
  const [pointCount = 0, dim = 0] = train.shape;
  if (train.shape.length !== 2 || pointCount === 0 || dim === 0) {
    throw new RangeError(
      `Cannot cluster a tensor of shape [${train.shape}]: need N×d, N and d ≥ 1`,
    );
  }
  if (test.shape.length !== 2 || test.shape[1] !== dim) {
    throw new RangeError(
      `Cannot assign test points of shape [${test.shape}] to centroids of ${dim} features`,
    );
  }
  if (!Number.isInteger(k) || k < 1 || k > pointCount) {
    throw new ConfigError(
      `'${section}.k' must be an integer in 1..${pointCount} (at most the number of training ` +
        `points): current value is ${k}`,
    );
  }
}

/**
 * k-means on `train`, `test` assigned to the nearest centroid. Timings go to
 * notes, never to outputs, so equal inputs give byte-identical outputs.
 *
 * @returns `centroids`, `trainAssignments`, `testAssignments`, `summary`
 */
export function kmeansOutputs(
  train: Tensor<"float32">,
  test: Tensor<"float32">,
  config: KMeansConfig,
  context: StageContext<unknown>,
): StageOutputs {
  const [pointCount = 0, dim = 0] = train.shape;
  const { k } = config;
  const started = performance.now();
  const result = kmeans(train.data, dim, config);
  const testAssignments = assign(test.data, result.centroids, dim);
  const seconds = (performance.now() - started) / 1000;

  context.log(
    `k-means, k=${k} on ${pointCount}×${dim}: inertia ${result.inertia.toPrecision(6)} after ` +
      `${result.iterations} iterations (best of ${config.nInit}), ${seconds.toFixed(1)} s`,
  );
  if (result.reseeded > 0) {
    context.log(`${result.reseeded} empty cluster(s) re-seeded with the farthest point`);
  }
  context.note("reseeded", result.reseeded);
  context.note("iterations", result.iterations);
  context.note("bestInit", result.bestInit);
  context.note("seconds", seconds);

  return {
    centroids: tensor("float32", [k, dim], result.centroids),
    trainAssignments: tensor("int32", [pointCount], result.assignments),
    testAssignments: tensor("int32", [testAssignments.length], testAssignments),
    summary: {
      inertia: result.inertia,
      iterations: result.iterations,
      reseeded: result.reseeded,
    },
  };
}
