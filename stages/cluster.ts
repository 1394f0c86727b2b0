/**
 * The `cluster` stage: k-means (the seed's choice) or a Gaussian mixture
 * (N2D's) on the encoding of the training set, as `manifold` hands it on;
 * the test set's encodings are assigned to the clusters found.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import { fitGaussianMixture, predictGaussianMixture } from "../ml/gmm.ts";
import type { KMeansConfig } from "./_kmeans.ts";
import { checkClusterInputs, kmeansOutputs, kmeansSection } from "./_kmeans.ts";
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { Stage, StageContext, StageOutputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import { javascriptEnvironment } from "./_environment.ts";

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
  environment: javascriptEnvironment,
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
 * "gmm") and assigns `test` to the clusters.
 *
 * @throws {ConfigError} when k exceeds the number of training points
 */
function clusterOutputs(
  train: Tensor<"float32">,
  test: Tensor<"float32">,
  config: ClusterConfig,
  section: string,
  context: StageContext<unknown>,
): StageOutputs {
  checkClusterInputs(train, test, config.k, section);

  const method = config.method;
  switch (method) {
    case "kmeans":
      return kmeansOutputs(train, test, config, context);
    case "gmm":
      return mixtureOutputs(train, test, config, config.covarianceReg, context);
    default: {
      const unknown: never = method;
      throw new ConfigError(
        `'${section}.method' must be one of kmeans, gmm: current value is ${unknown}`,
      );
    }
  }
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
