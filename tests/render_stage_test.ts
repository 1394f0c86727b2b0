import assert from "node:assert/strict";
import { renderSection, renderStage } from "../stages/render.ts";
import type { RenderConfig } from "../stages/render.ts";
import { runFigureCaptions } from "../report/figures/run_figures.ts";
import { StageInputs } from "../engine/stage.ts";
import type { StageValue } from "../engine/stage.ts";
import { tensor } from "../engine/tensor.ts";
import { loadBackend } from "../nn/backend.ts";
import { buildModel, initialWeights, layerPlan, saveModel } from "../nn/autoencoder.ts";
import { Random } from "../ml/random.ts";
import { testContext } from "./_context.ts";
import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { explorerData } from "../report/figures/explorer_data.ts";
import type { ExplorerData } from "../report/figures/explorer_data.ts";

const SIDE = 4;
const PIXELS = SIDE * SIDE;
const N = 40;
const K = 3;

/** A tiny run: 40 images of 4×4 in 4 labels, an untrained 16→8→3→8→16 autoencoder. */
async function tinyRun(): Promise<Record<string, Record<string, StageValue>>> {
  const random = new Random(5);
  const { tf } = await loadBackend("cpu");
  const spec = {
    inputDim: PIXELS,
    encoderLayers: [8],
    encodedDim: 3,
    hiddenActivation: "sigmoid",
    codeActivation: "sigmoid",
    outputActivation: "sigmoid",
  } as const;
  const model = buildModel(tf, spec, initialWeights(layerPlan(spec), 1));
  const saved = await saveModel(tf, model);
  model.dispose();
  const labels = new Int32Array(N).map((_, i) => i % 4);
  const table = Array.from(
    { length: K },
    (_, c) => [0, 1, 2, 3].map((l) => (l % K === c ? 10 : 0)),
  );
  return {
    load: { trainLabels: tensor("int32", [N], labels), labelNames: ["a", "b", "c", "d"] },
    normalise: {
      train: tensor("float32", [N, PIXELS], new Float32Array(N * PIXELS).map(() => random.next())),
      featureMean: tensor("float32", [PIXELS], new Float32Array(PIXELS)),
      featureScale: tensor("float32", [PIXELS], new Float32Array(PIXELS).fill(1)),
    },
    train: {
      modelJson: saved.modelJson,
      weights: saved.weights,
      history: { loss: [0.7, 0.6, 0.55] },
    },
    encode: { train: tensor("float32", [N, 3], new Float32Array(N * 3).map(() => random.next())) },
    cluster: {
      centroids: tensor("float32", [K, 3], new Float32Array(K * 3).map(() => random.next())),
      trainAssignments: tensor("int32", [N], new Int32Array(N).map((_, i) => i % K)),
    },
    baseline: {
      centroids: tensor(
        "float32",
        [K, PIXELS],
        new Float32Array(K * PIXELS).map(() => random.next()),
      ),
    },
    evaluate: {
      contingency: { train: table, test: table, baseline: table },
      metrics: { purity: 1, k: K, n: N, baseline: { purity: 1 } },
    },
  };
}

function defaults(): RenderConfig {
  return Object.fromEntries(
    Object.entries(renderSection).map(([key, field]) => [key, field.default]),
  ) as RenderConfig;
}

Deno.test("renderStage outputs one non-blank PNG per figure, the same bytes for the same inputs", async () => {
  const { default: sharp } = await import("sharp");
  const values = await tinyRun();
  const config = { render: { ...defaults(), size: 300, imageScale: 4 }, backend: "cpu" as const };
  const first = await renderStage.run(new StageInputs(values), testContext(config));
  assert.deepEqual(
    Object.keys(first).sort(),
    [...runFigureCaptions.map(({ name }) => name), "explorer"].sort(),
  );
  for (const { name } of runFigureCaptions) {
    const png = first[name];
    assert.ok(png instanceof Uint8Array, name);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    if (name === "scatter") assert.deepEqual([info.width, info.height], [420, 300]);
    if (name === "loss") assert.deepEqual([info.width, info.height], [300, 150]);
    let sum = 0;
    let sumOfSquares = 0;
    for (const value of data) {
      sum += value;
      sumOfSquares += value * value;
    }
    assert.ok(sumOfSquares / data.length - (sum / data.length) ** 2 > 100, `${name} is not blank`);
  }
  const second = await renderStage.run(new StageInputs(await tinyRun()), testContext(config));
  for (const name of Object.keys(first)) assert.deepEqual(second[name], first[name], name);
});

Deno.test("renderStage packs the explorer's points, labels, clusters and the first points' images", async () => {
  const values = await tinyRun();
  const config = {
    render: { ...defaults(), maxPoints: 30, explorerPoints: 12 },
    backend: "cpu" as const,
  };
  const outputs = await renderStage.run(new StageInputs(values), testContext(config));
  const explorer = outputs.explorer as unknown as ExplorerData;
  assert.equal(explorer.count, 30);
  assert.equal(explorer.total, N);
  assert.equal(explorer.imageCount, 12);
  assert.equal(explorer.imageSide, SIDE);
  assert.deepEqual(explorer.labelNames, ["a", "b", "c", "d"]);
  assert.equal(explorer.clusters, K);
  const unpack = (base64: string) => new Uint8Array(gunzipSync(Buffer.from(base64, "base64")));
  const points = new Float32Array(unpack(explorer.points).buffer);
  const encoding = (values.encode!.train as { data: Float32Array }).data;
  assert.deepEqual(points, encoding.subarray(0, 30 * 3), "a 3-d encoding is shown as it is");
  assert.deepEqual(
    [...new Int32Array(unpack(explorer.labels).buffer)],
    Array.from({ length: 30 }, (_, i) => i % 4),
  );
  assert.deepEqual(
    [...new Int32Array(unpack(explorer.assignments).buffer)],
    Array.from({ length: 30 }, (_, i) => i % K),
  );
  const images = unpack(explorer.images);
  assert.equal(images.length, 12 * PIXELS);
  const train = (values.normalise!.train as { data: Float32Array }).data;
  assert.equal(images[5], Math.round(train[5]! * 15) * 17, "in 16 grey levels, 0 to 255");
  assert.equal(unpack(explorer.reconstructions).length, 12 * PIXELS);
  assert.equal(unpack(explorer.centroidImages).length, K * PIXELS);
});

Deno.test("explorerData() projects a wider encoding on its first three principal components", () => {
  const n = 50;
  const random = new Random(3);
  const encoding = new Float32Array(n * 5).map(() => random.next());
  const data = explorerData({
    encoding,
    encodedDim: 5,
    labels: new Int32Array(n),
    assignments: new Int32Array(n),
    centroids: new Float32Array(5),
    contingency: [[n]],
    points: n,
    imageSide: 1,
    images: new Float32Array(0),
    reconstructions: new Float32Array(0),
    decodedCentroids: new Float32Array(1),
  });
  assert.equal(data.projection, "pca");
  assert.deepEqual(data.axisTitles, ["PC1", "PC2", "PC3"]);
  assert.match(
    data.projectionNote,
    /^PCA of the 5-d encoding: PC1–3 hold [6-9]\d\.\d% of its variance$/,
  );
  assert.equal(data.imageCount, 0);
});
