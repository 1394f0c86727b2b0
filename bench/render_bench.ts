/**
 * The cost of rendering a seed-sized run: 60,000 3-d encodings (the first
 * 10,000 drawn), k = 10, two reconstructions per label, 30 epochs of loss.
 * Once for the figures alone, once for the whole `render` stage, which also
 * runs the seed-architecture decoder (untrained weights: the cost is the same).
 *
 * @module
 */
import type { Benchmark } from "./benchmark.ts";
import { drawRunFigures } from "../report/figures/run_figures.ts";
import type { RunFigureData } from "../report/figures/run_figures.ts";
import { renderSection, renderStage } from "../stages/render.ts";
import type { RenderConfig } from "../stages/render.ts";
import { StageInputs } from "../engine/stage.ts";
import type { StageValue } from "../engine/stage.ts";
import { tensor } from "../engine/tensor.ts";
import { loadBackend } from "../nn/backend.ts";
import {
  buildModel,
  initialWeights,
  layerPlan,
  saveModel,
  SEED_AUTOENCODER,
} from "../nn/autoencoder.ts";
import { Random } from "../ml/random.ts";
import { testContext } from "../tests/_context.ts";

const N = 60_000;
const K = 10;
const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Ten labelled Gaussian blobs in 3-d and blurry blob images: shaped like a real run. */
function seedSizedRun(): RunFigureData {
  const random = new Random(42);
  const centres = Array.from({ length: K }, () => [random.next(), random.next(), random.next()]);
  const labels = new Int32Array(N);
  const encoding = new Float32Array(N * 3);
  for (let i = 0; i < N; i++) {
    const label = random.int(K);
    labels[i] = label;
    for (let j = 0; j < 3; j++) encoding[i * 3 + j] = centres[label]![j]! + 0.07 * random.normal();
  }
  const blobs = (count: number) => {
    const images = new Float32Array(count * PIXELS);
    for (let c = 0; c < count; c++) {
      const cx = 8 + 12 * random.next();
      const cy = 8 + 12 * random.next();
      for (let p = 0; p < PIXELS; p++) {
        images[c * PIXELS + p] = Math.exp(
          -(((p % SIDE) - cx) ** 2 + (Math.floor(p / SIDE) - cy) ** 2) / 18,
        );
      }
    }
    return images;
  };
  const table = () =>
    Array.from(
      { length: K },
      (_, c) => Array.from({ length: K }, (_, l) => (l === c ? 5000 : random.int(300))),
    );
  const samples = 2 * K;
  return {
    labels,
    encoding,
    encodedDim: 3,
    centroids: Float32Array.from(centres.flat()),
    decodedCentroids: blobs(K),
    baselineCentroids: blobs(K),
    imageSide: SIDE,
    contingency: { train: table(), baseline: table() },
    metrics: { purity: 0.7, baseline: { purity: 0.62 } },
    history: { loss: Array.from({ length: 30 }, (_, epoch) => 0.17 + 0.1 * Math.exp(-epoch / 4)) },
    samples: {
      labels: Array.from({ length: K }, (_, label) => label),
      perLabel: 2,
      originals: blobs(samples),
      reconstructions: blobs(samples),
    },
  };
}

/** The render stage's inputs for the same run, with a seed-architecture model. */
async function seedSizedInputs(
  run: RunFigureData,
): Promise<Record<string, Record<string, StageValue>>> {
  const random = new Random(7);
  const { tf } = await loadBackend("auto");
  const model = buildModel(tf, SEED_AUTOENCODER, initialWeights(layerPlan(SEED_AUTOENCODER), 1));
  const saved = await saveModel(tf, model);
  model.dispose();
  const images = new Float32Array(N * PIXELS);
  for (let i = 0; i < images.length; i += 97) images[i] = random.next();
  return {
    load: { trainLabels: tensor("int32", [N], run.labels) },
    normalise: { train: tensor("float32", [N, PIXELS], images) },
    train: { modelJson: saved.modelJson, weights: saved.weights, history: run.history },
    encode: { train: tensor("float32", [N, 3], run.encoding) },
    cluster: { centroids: tensor("float32", [K, 3], run.centroids) },
    baseline: { centroids: tensor("float32", [K, PIXELS], run.baselineCentroids) },
    evaluate: {
      contingency: { ...run.contingency, test: run.contingency.train },
      metrics: run.metrics,
    },
  };
}

let data: RunFigureData | null = null;
let stageInputs: Record<string, Record<string, StageValue>> | null = null;
const seedRenderConfig = Object.fromEntries(
  Object.entries(renderSection).map(([key, field]) => [key, field.default]),
) as RenderConfig;

/** The render benchmarks for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  {
    name: "render: 6 figures of a seed-sized run (60,000×3 encoding, 10,000 drawn, k=10), " +
      "decoder excluded",
    unit: "s",
    higherIsBetter: false,
    repeats: 5,
    setup() {
      data = seedSizedRun();
      return Promise.resolve();
    },
    async measure() {
      const started = performance.now();
      await drawRunFigures(data!, seedRenderConfig);
      return (performance.now() - started) / 1000;
    },
  },
  {
    name: "render stage: the same run, decoding 10 centroids and reconstructing 20 images " +
      "(784→784→64→32→3 model, backend auto)",
    unit: "s",
    higherIsBetter: false,
    repeats: 5,
    async setup() {
      stageInputs = await seedSizedInputs(data ?? seedSizedRun());
    },
    async measure() {
      const started = performance.now();
      await renderStage.run(
        new StageInputs(stageInputs!),
        testContext({ render: seedRenderConfig, backend: "auto" as const }),
      );
      return (performance.now() - started) / 1000;
    },
  },
];
