/**
 * The `cluster` stage: k-means (the seed's choice) or a Gaussian mixture
 * (N2D's) on the encoding of the training set, as `manifold` hands it on;
 * the test set's encodings are assigned to the clusters found.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import { fitGaussianMixture, predictGaussianMixture } from "../ml/gmm.ts";
import { assign, kmeans } from "../ml/kmeans/kmeans.ts";
import type { SectionValues } from "../config/schema.ts";
import type { SectionSchema, Stage, StageContext, StageOutputs } from "../engine/stage.ts";
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

const { k: kField, ...otherKmeansFields } = kmeansSection;

/** The `cluster` configuration section (the seed's k-means by default). */
export const clusterSection = {
  k: kField,
  method: {
    type: "enum",
    values: ["kmeans", "gmm"],
    default: "kmeans",
    doc: "'kmeans' (the seed's choice) or 'gmm', a Gaussian mixture with full covariances " +
      "fitted by EM from the k-means clusters (N2D's choice, after manifold.method 'umap'); " +
      "the mixture's components may be elongated or tilted where k-means assumes round " +
      "clusters of equal size",
  },
  ...otherKmeansFields,
  maxIter: {
    ...kmeansSection.maxIter,
    doc: "most k-means iterations per initialisation; with 'gmm', also the most EM iterations",
  },
  tol: {
    ...kmeansSection.tol,
    doc: kmeansSection.tol.doc + "; with 'gmm', EM stops when the mean log-likelihood per " +
      "point improves by less than this",
  },
  covarianceReg: {
    type: "number",
    default: 1e-6,
    min: 0,
    doc: "'gmm' only: added to the diagonal of every covariance (scikit-learn's reg_covar), " +
      "so a component flat in some direction keeps a finite density",
  },
} as const satisfies SectionSchema;

/** The `cluster` section's values. */
export type ClusterConfig = SectionValues<typeof clusterSection>;

/**
 * Clusters `manifold`'s training encodings (the encoding itself, or its
 * UMAP embedding) with k-means or a Gaussian mixture. Outputs `centroids`
 * (float32 k×d: the k-means centroids or the mixture's means),
 * `trainAssignments` and `testAssignments` (int32, one cluster per training
 * and per test image: the nearest centroid, or the most probable
 * component) and `summary` (k-means: `{ inertia, iterations, reseeded }` of
 * the kept initialisation; gmm: `{ logLikelihood, iterations, converged,
 * reseeded }`, the mean log-likelihood per training point).
 *
 * @throws {ConfigError} when `cluster.k` exceeds the number of training images
 */
export const clusterStage: Stage<{ cluster: ClusterConfig }> = {
  name: "cluster",
  needs: ["manifold"],
  reads: ["cluster"],
  source: import.meta.url,
  run(inputs, context): Promise<StageOutputs> {
    const train = inputs.tensor("manifold", "train", "float32");
    const test = inputs.tensor("manifold", "test", "float32");
    // A configuration error becomes a rejection, not a synchronous throw.
    return new Promise((resolve) =>
      resolve(clusterOutputs(train, test, context.config.cluster, "cluster", context))
    );
  },
};

/**
 * Clusters `train` (k-means, or a Gaussian mixture when `config.method` is
 * "gmm"), assigns `test` to the clusters, and returns the outputs shared by
 * the `cluster` and `baseline` stages. Timings go to notes, never to
 * outputs, so equal inputs give byte-identical outputs.
 *
 * @param train float32 N×d points to cluster
 * @param test float32 M×d points to assign (M may be 0)
 * @param config the k-means settings, and the method (k-means when absent)
 * @param section the configuration section they came from, for messages
 * @param context the stage's context, for its log and notes
 * @returns `centroids`, `trainAssignments`, `testAssignments`, `summary`
 * @throws {ConfigError} when k exceeds the number of training points
 */
export function clusterOutputs(
  train: Tensor<"float32">,
  test: Tensor<"float32">,
  config: KMeansConfig & Partial<Pick<ClusterConfig, "method" | "covarianceReg">>,
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

  const method = config.method ?? "kmeans";
  switch (method) {
    case "kmeans":
      return kmeansOutputs(train, test, config, context);
    case "gmm":
      return mixtureOutputs(train, test, config, config.covarianceReg ?? 1e-6, context);
    default: {
      const unknown: never = method;
      throw new ConfigError(
        `'${section}.method' must be one of kmeans, gmm: current value is ${unknown}`,
      );
    }
  }
}

function kmeansOutputs(
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

function mixtureOutputs(
  train: Tensor<"float32">,
  test: Tensor<"float32">,
  config: KMeansConfig,
  covarianceReg: number,
  context: StageContext<unknown>,
): StageOutputs {
  const [pointCount = 0, dim = 0] = train.shape;
  const { k, maxIter, tol } = config;
  const started = performance.now();
  const result = fitGaussianMixture(train.data, dim, {
    k,
    maxIter,
    tol,
    covarianceReg,
    kmeans: config,
  });
  const testAssignments = predictGaussianMixture(result.mixture, test.data);
  const seconds = (performance.now() - started) / 1000;

  context.log(
    `Gaussian mixture, k=${k} full covariances on ${pointCount}×${dim}: mean log-likelihood ` +
      `${result.logLikelihood.toPrecision(6)} after ${result.iterations} EM iterations` +
      `${result.converged ? "" : ` (maxIter reached before tol ${tol})`}, ${seconds.toFixed(1)} s`,
  );
  if (result.reseeded > 0) {
    context.log(
      `${result.reseeded} collapsed component(s) re-seeded on the least likely point`,
    );
  }
  context.note("reseeded", result.reseeded);
  context.note("iterations", result.iterations);
  context.note("logLikelihoods", [...result.history]);
  context.note("seconds", seconds);

  return {
    centroids: tensor("float32", [k, dim], Float32Array.from(result.mixture.means)),
    trainAssignments: tensor("int32", [pointCount], result.assignments),
    testAssignments: tensor("int32", [testAssignments.length], testAssignments),
    summary: {
      logLikelihood: result.logLikelihood,
      iterations: result.iterations,
      converged: result.converged,
      reseeded: result.reseeded,
    },
  };
}
