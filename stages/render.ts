/**
 * The `render` stage: draws the run's figures as PNG images — the encoding
 * as a scatter plot, the centroids decoded into images, the baseline's pixel
 * centroids, the contingency table, originals beside their reconstructions,
 * and the training loss — and the data of the report's interactive explorer
 * (`explorer`: the points in 3-D, labels, clusters, and small images of the
 * first points and of their reconstructions).
 *
 * @module
 */
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { JsonValue, Stage, StageInputs, StageOutputs } from "../engine/stage.ts";
import { type Tensor, tensor } from "../engine/tensor.ts";
import type { BackendChoice } from "../nn/backend.ts";
import { backendToUse, javascriptEnvironment, tensorflowEnvironment } from "./_environment.ts";
import { decode, reconstruct } from "../nn/inference.ts";
import { drawRunFigures, sampleImagesByLabel } from "../report/figures/run_figures.ts";
import { type ExplorerData, explorerData } from "../report/figures/explorer_data.ts";

/** The `render` configuration section. */
export const renderSection = {
  maxPoints: {
    type: "integer",
    default: 10_000,
    min: 1,
    doc: "the scatter plot draws at most this many points: the first ones of the training set, " +
      "as the seed did",
  },
  elevation: {
    type: "number",
    default: 30,
    min: -90,
    max: 90,
    doc: "3-D scatter: viewing angle in degrees above the plane of the first two axes " +
      "(matplotlib's `elev`)",
  },
  azimuth: {
    type: "number",
    default: -60,
    min: -360,
    max: 360,
    doc: "3-D scatter: viewing angle in degrees around the third axis (matplotlib's `azim`)",
  },
  size: {
    type: "integer",
    default: 800,
    min: 300,
    max: 4000,
    doc: "height of the scatter plot in pixels (its legend adds 120 to the width); the loss " +
      "chart is this wide and half as high",
  },
  imageScale: {
    type: "integer",
    default: 3,
    min: 1,
    max: 12,
    doc: "screen pixels per image pixel in the figures of images",
  },
  imagesPerLabel: {
    type: "integer",
    default: 2,
    min: 1,
    max: 10,
    doc: "originals shown beside their reconstructions for each label (the first ones of the " +
      "training set)",
  },
  explorerPoints: {
    type: "integer",
    default: 5000,
    min: 0,
    max: 60_000,
    doc: "the report's interactive scatter shows render.maxPoints points; the first this many " +
      "carry their image and its reconstruction for the tooltip (with the defaults, 10,000 " +
      "points of MNIST make a report of 3.5 MB, 2.8 MB with 2,000 images, 2.3 MB with none)",
  },
} as const satisfies SectionSchema;

/** The `render` section's values. */
export type RenderConfig = SectionValues<typeof renderSection>;

/**
 * Draws the figures of a run, one PNG per figure name of
 * `runFigureCaptions` (report/figures/run_figures.ts): `scatter`, `centroids`,
 * `baselineCentroids`, `contingency`, `reconstructions`, `loss`; and
 * `explorer`, the interactive scatter's data (JSON, see
 * report/figures/explorer_data.ts). Decoding the
 * centroids and reconstructing the sample images runs the trained
 * autoencoder on the configured backend; the rest is drawn from upstream
 * outputs. Equal inputs and configuration give byte-identical PNGs.
 */
export const renderStage: Stage<{ render: RenderConfig; backend: BackendChoice }> = {
  name: "render",
  needs: ["load", "normalise", "train", "encode", "cluster", "baseline", "evaluate"],
  reads: ["render", "backend"],
  source: import.meta.url,
  // It decodes with TensorFlow.js, and projects the scatter plot with Math.sin and Math.cos.
  environment: async ({ backend }) => ({
    ...(await tensorflowEnvironment(backend)),
    ...(await javascriptEnvironment()),
  }),
  async run(inputs, context): Promise<StageOutputs> {
    const { render } = context.config;
    const backend = backendToUse(context.environment, context.config.backend);
    const labels = inputs.tensor("load", "trainLabels", "int32");
    const images = inputs.tensor("normalise", "train", "float32");
    const model = {
      modelJson: inputs.json("train", "modelJson"),
      weights: inputs.bytes("train", "weights"),
    };
    const encoding = inputs.tensor("encode", "train", "float32");
    const clusterCentroids = inputs.tensor("cluster", "centroids", "float32");
    const centroids = (clusterCentroids.shape[1] ?? 1) === (encoding.shape[1] ?? 1)
      ? clusterCentroids
      : meanEncodings(
        encoding,
        inputs.tensor("cluster", "trainAssignments", "int32"),
        clusterCentroids.shape[0] ?? 0,
      );
    const pixels = images.shape[1] ?? 0;
    const imageSide = Math.round(Math.sqrt(pixels));
    if (imageSide * imageSide !== pixels) {
      throw new RangeError(`Cannot draw images of ${pixels} pixels: they are not square`);
    }
    const toPixels = pixelIntensities(inputs);

    const decodedCentroids = await decode(model, centroids, backend);
    const chosen = sampleImagesByLabel(labels.data, render.imagesPerLabel);
    const originals = new Float32Array(chosen.indices.length * pixels);
    chosen.indices.forEach((row, slot) => {
      originals.set(images.data.subarray(row * pixels, (row + 1) * pixels), slot * pixels);
    });
    const reconstructions = await reconstruct(
      model,
      tensor("float32", [chosen.indices.length, pixels], originals),
      backend,
    );

    const figures = await drawRunFigures({
      labels: labels.data,
      labelNames: inputs.has("load", "labelNames")
        ? inputs.json<string[]>("load", "labelNames")
        : undefined,
      encoding: encoding.data,
      encodedDim: encoding.shape[1] ?? 1,
      centroids: centroids.data,
      decodedCentroids: toPixels(decodedCentroids.data),
      baselineCentroids: toPixels(inputs.tensor("baseline", "centroids", "float32").data),
      imageSide,
      contingency: inputs.json("evaluate", "contingency"),
      metrics: inputs.json("evaluate", "metrics"),
      history: inputs.json("train", "history"),
      samples: {
        labels: chosen.labels,
        perLabel: render.imagesPerLabel,
        originals: toPixels(originals),
        reconstructions: toPixels(reconstructions.data),
      },
    }, render);
    const explorer = await explorerOutput(inputs, model, backend, render, {
      encoding,
      centroids,
      decodedCentroids: toPixels(decodedCentroids.data),
      toPixels,
    });
    context.log(
      `${Object.keys(figures.pngs).length} figures; scatter of ${figures.scatterPoints} points ` +
        `(${figures.scatterView}); explorer of ${explorer.count} points, ` +
        `${explorer.imageCount} with images`,
    );
    return { ...figures.pngs, explorer: explorer as unknown as JsonValue };
  },
};

/**
 * The explorer's data: the first `maxPoints` points, the first
 * `explorerPoints` of them with their image and its reconstruction.
 */
async function explorerOutput(
  inputs: StageInputs,
  model: Parameters<typeof reconstruct>[0],
  backend: BackendChoice,
  render: RenderConfig,
  computed: {
    encoding: Tensor<"float32">;
    centroids: Tensor<"float32">;
    decodedCentroids: Float32Array;
    toPixels: (rows: Float32Array) => Float32Array;
  },
): Promise<ExplorerData> {
  const images = inputs.tensor("normalise", "train", "float32");
  const [total = 0, pixels = 0] = images.shape;
  const shown = Math.min(total, render.maxPoints);
  const withImages = Math.min(shown, render.explorerPoints);
  const originals = images.data.slice(0, withImages * pixels);
  const reconstructions = withImages === 0 ? new Float32Array(0) : (await reconstruct(
    model,
    tensor("float32", [withImages, pixels], originals),
    backend,
  )).data;
  return explorerData({
    encoding: computed.encoding.data,
    encodedDim: computed.encoding.shape[1] ?? 1,
    labels: inputs.tensor("load", "trainLabels", "int32").data,
    assignments: inputs.tensor("cluster", "trainAssignments", "int32").data,
    centroids: computed.centroids.data,
    labelNames: inputs.has("load", "labelNames")
      ? inputs.json<string[]>("load", "labelNames")
      : undefined,
    contingency: inputs.json<{ train: number[][] }>("evaluate", "contingency").train,
    points: shown,
    imageSide: Math.round(Math.sqrt(pixels)),
    images: computed.toPixels(originals),
    reconstructions: computed.toPixels(reconstructions),
    decodedCentroids: computed.decodedCentroids,
  });
}

/**
 * Each cluster's mean encoding: where a cluster found in a manifold
 * embedding (another width than the encoding) is decoded and marked.
 */
function meanEncodings(
  encoding: Tensor<"float32">,
  assignments: Tensor<"int32">,
  k: number,
): Tensor<"float32"> {
  const dim = encoding.shape[1] ?? 1;
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  assignments.data.forEach((cluster, row) => {
    counts[cluster]!++;
    for (let j = 0; j < dim; j++) sums[cluster * dim + j]! += encoding.data[row * dim + j]!;
  });
  const means = new Float32Array(k * dim);
  for (let i = 0; i < k * dim; i++) means[i] = sums[i]! / Math.max(1, counts[Math.floor(i / dim)]!);
  return tensor("float32", [k, dim], means);
}

/**
 * Maps rows in `normalise`'s space back to pixel intensities in [0, 1]
 * (`pixel / 255 = value × featureScale + featureMean`), so that images look
 * like images when `normalise.standardise` is on. The autoencoder learns to
 * reproduce normalised rows, so its outputs are mapped back too.
 */
function pixelIntensities(inputs: StageInputs): (rows: Float32Array) => Float32Array {
  if (!inputs.has("normalise", "featureMean") || !inputs.has("normalise", "featureScale")) {
    return (rows) => rows;
  }
  const mean = inputs.tensor("normalise", "featureMean", "float32").data;
  const scale = inputs.tensor("normalise", "featureScale", "float32").data;
  return (rows) =>
    rows.map((value, i) => value * scale[i % scale.length]! + mean[i % mean.length]!);
}
