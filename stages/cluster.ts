/**
 * The `cluster` stage: k-means on the autoencoder's encoding of the training
 * set; the test set's encodings are assigned to the centroids it finds.
 *
 * @module
 */
import { ConfigError } from "../core/config_error.ts";
import { assign, kmeans } from "../core/kmeans.ts";
import type { SectionValues } from "../core/schema.ts";
import type { SectionSchema, Stage, StageContext, StageOutputs } from "../core/stage.ts";
import type { Tensor } from "../core/tensor.ts";
import { tensor } from "../core/tensor.ts";

/** The `cluster` configuration section (the seed's k-means by default). */
export const clusterSection = {
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

/** The `cluster` section's values (the `baseline` section has the same fields). */
export type ClusterConfig = SectionValues<typeof clusterSection>;

/**
 * Clusters `encode`'s training encodings with k-means. Outputs `centroids`
 * (float32 k×encodedDim), `trainAssignments` and `testAssignments` (int32,
 * one cluster per training and per test image) and `summary`
 * (`{ inertia, iterations, reseeded }` of the kept initialisation).
 *
 * @throws {ConfigError} when `cluster.k` exceeds the number of training images
 */
export const clusterStage: Stage<{ cluster: ClusterConfig }> = {
  name: "cluster",
  needs: ["encode"],
  reads: ["cluster"],
  source: import.meta.url,
  run(inputs, context): Promise<StageOutputs> {
    const train = inputs.tensor("encode", "train", "float32");
    const test = inputs.tensor("encode", "test", "float32");
    // A configuration error becomes a rejection, not a synchronous throw.
    return new Promise((resolve) =>
      resolve(clusterOutputs(train, test, context.config.cluster, "cluster", context))
    );
  },
};

/**
 * Runs k-means on `train`, assigns `test` to the centroids, and returns the
 * outputs shared by the `cluster` and `baseline` stages. Timings go to
 * notes, never to outputs, so equal inputs give byte-identical outputs.
 *
 * @param train float32 N×d points to cluster
 * @param test float32 M×d points to assign (M may be 0)
 * @param config the k-means settings
 * @param section the configuration section they came from, for messages
 * @param context the stage's context, for its log and notes
 * @returns `centroids`, `trainAssignments`, `testAssignments`, `summary`
 * @throws {ConfigError} when k exceeds the number of training points
 */
export function clusterOutputs(
  train: Tensor<"float32">,
  test: Tensor<"float32">,
  config: ClusterConfig,
  section: string,
  context: StageContext<unknown>,
): StageOutputs {
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
  const { k } = config;
  if (!Number.isInteger(k) || k < 1 || k > pointCount) {
    throw new ConfigError(
      `'${section}.k' must be an integer in 1..${pointCount} (at most the number of training ` +
        `points): current value is ${k}`,
    );
  }

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
