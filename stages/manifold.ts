/**
 * The `manifold` stage: optionally re-embeds the encoding with UMAP before
 * clustering, as N2D does (McConville et al.: UMAP with 20 neighbours and
 * min_dist 0 on an autoencoder's encoding, then a Gaussian mixture). Off by
 * default (`method: "none"`), when it hands `encode`'s tensors on untouched.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import type { NeighbourLists } from "../ml/nearest_neighbours.ts";
import { nearestNeighbours, selfNearestNeighbours } from "../ml/nearest_neighbours.ts";
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { Stage, StageContext, StageOutputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import type { UmapOptions } from "../ml/umap/umap_embedding.ts";
import { fitUmap, transformUmap } from "../ml/umap/umap_embedding.ts";
import { javascriptEnvironment } from "./_environment.ts";

/** The `manifold` configuration section (off by default; N2D's settings otherwise). */
export const manifoldSection = {
  method: {
    type: "enum",
    values: ["none", "umap"],
    default: "none",
    doc: "'none' passes the encoding to cluster unchanged (the seed's pipeline); 'umap' " +
      "re-embeds it with UMAP first, as N2D does (pair it with cluster.method 'gmm')",
  },
  nNeighbors: {
    type: "integer",
    default: 20,
    min: 2,
    doc: "UMAP: size of each point's neighbourhood, the point itself included (N2D: 20); " +
      "smaller keeps finer local structure, larger a more global view",
  },
  minDist: {
    type: "number",
    default: 0,
    min: 0,
    doc: "UMAP: smallest distance between embedded points; 0 packs clusters tightly, " +
      "which suits clustering (N2D: 0)",
  },
  nComponents: {
    type: "integer",
    default: 10,
    min: 1,
    doc: "UMAP: dimensions of the embedding that cluster receives (N2D: the number of " +
      "clusters, 10 for MNIST)",
  },
  nEpochs: {
    type: "integer",
    default: null,
    nullable: true,
    min: 1,
    doc: "UMAP: epochs of the layout optimisation; null chooses by size (200 above 10,000 " +
      "points, 500 below); the test set gets a third of it (null: 100 up to 10,000 points). " +
      "Each epoch takes 0.5–1 s on 60,000 points",
  },
  init: {
    type: "enum",
    values: ["spectral", "random"],
    default: "spectral",
    doc: "UMAP: starting layout; 'spectral' (the reference implementation's default) starts " +
      "well-connected groups apart, 'random' scatters points uniformly",
  },
  seed: {
    type: "integer",
    default: 0,
    doc: "UMAP: seed of its random choices; the same seed and input give the same bytes",
  },
} as const satisfies SectionSchema;

/** The `manifold` section's values. */
export type ManifoldConfig = SectionValues<typeof manifoldSection>;

/**
 * With `method: "none"`, outputs `encode`'s `train` and `test` unchanged
 * (the same bytes, so the stages after it stay cached). With `"umap"`,
 * outputs `train` (float32 N×nComponents), the UMAP embedding of the
 * training encodings, and `test` (float32 M×nComponents), the test
 * encodings placed in that embedding (UMAP's transform: each starts at the
 * weighted mean of its nearest training points, then moves against the
 * fixed training embedding). Nearest neighbours are exact.
 *
 * @throws {ConfigError} when `manifold.nNeighbors` exceeds the number of training points
 */
export const manifoldStage: Stage<{ manifold: ManifoldConfig }> = {
  name: "manifold",
  needs: ["encode"],
  reads: ["manifold"],
  source: import.meta.url,
  environment: javascriptEnvironment,
  async run(inputs, context): Promise<StageOutputs> {
    const train = inputs.tensor("encode", "train", "float32");
    const test = inputs.tensor("encode", "test", "float32");
    const config = context.config.manifold;
    switch (config.method) {
      case "none":
        return { train, test };
      case "umap":
        return await umapOutputs(train, test, config, context);
      default: {
        const unknown: never = config.method;
        throw new ConfigError(
          `'manifold.method' must be one of none, umap: current value is ${unknown}`,
        );
      }
    }
  },
};

async function umapOutputs(
  train: Tensor<"float32">,
  test: Tensor<"float32">,
  config: ManifoldConfig,
  context: StageContext<unknown>,
): Promise<StageOutputs> {
  const [pointCount = 0, dim = 0] = train.shape;
  if (train.shape.length !== 2 || pointCount === 0 || dim === 0) {
    throw new RangeError(`Cannot embed a tensor of shape [${train.shape}]: need N×d, N and d ≥ 1`);
  }
  const testCount = test.shape[0] ?? 0;
  if (test.shape.length !== 2 || test.shape[1] !== dim) {
    throw new RangeError(
      `Cannot embed test encodings of shape [${test.shape}] next to training encodings of ${dim}`,
    );
  }
  const { nNeighbors, nComponents } = config;
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2 || nNeighbors > pointCount) {
    throw new ConfigError(
      `'manifold.nNeighbors' must be an integer in 2..${pointCount} (at most the number of ` +
        `training points): current value is ${nNeighbors}`,
    );
  }

  const neighbours = timed(
    context,
    "knnSeconds",
    () => selfNearestNeighbours(train.data, dim, nNeighbors),
    (seconds) => `exact ${nNeighbors} nearest neighbours of ${pointCount}×${dim}: ${seconds} s`,
  );
  const options: UmapOptions = {
    minDist: config.minDist,
    nComponents,
    nEpochs: config.nEpochs,
    init: config.init,
    seed: config.seed,
    onEpoch: epochLogger(context, "UMAP"),
  };
  let started = performance.now();
  const model = await fitUmap(neighbours, options);
  const fitSeconds = (performance.now() - started) / 1000;
  context.log(
    `UMAP ${pointCount}×${dim} → ${nComponents}: ${model.nEpochs} epochs on ${model.edgeCount} ` +
      `edges, ${fitSeconds.toFixed(1)} s`,
  );
  context.note("fitSeconds", fitSeconds);
  context.note("nEpochs", model.nEpochs);
  context.note("edges", model.edgeCount);

  let testEmbedding: Float32Array = new Float32Array(0);
  if (testCount > 0) {
    const testNeighbours: NeighbourLists = timed(
      context,
      "testKnnSeconds",
      () => nearestNeighbours(test.data, train.data, dim, nNeighbors),
      (seconds) => `exact nearest neighbours of ${testCount} test points: ${seconds} s`,
    );
    started = performance.now();
    testEmbedding = transformUmap(model, testNeighbours, {
      ...options,
      onEpoch: epochLogger(context, "UMAP transform"),
    });
    const transformSeconds = (performance.now() - started) / 1000;
    context.log(`test set placed in the embedding: ${transformSeconds.toFixed(1)} s`);
    context.note("transformSeconds", transformSeconds);
  }
  return {
    train: tensor("float32", [pointCount, nComponents], model.embedding),
    test: tensor("float32", [testCount, nComponents], testEmbedding),
  };
}

/** Runs `work`, logs how long it took and keeps the seconds as a note. */
function timed<T>(
  context: StageContext<unknown>,
  note: string,
  work: () => T,
  message: (seconds: string) => string,
): T {
  const started = performance.now();
  const result = work();
  const seconds = (performance.now() - started) / 1000;
  context.log(message(seconds.toFixed(1)));
  context.note(note, seconds);
  return result;
}

/** A progress callback that logs a line every tenth of the epochs. */
function epochLogger(
  context: StageContext<unknown>,
  what: string,
): (epoch: number, nEpochs: number) => void {
  const started = performance.now();
  return (epoch, nEpochs) => {
    const step = Math.max(1, Math.round(nEpochs / 10));
    if (epoch % step === 0 || epoch === nEpochs) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      context.log(`${what}: epoch ${epoch}/${nEpochs}, ${seconds} s`);
    }
  };
}
