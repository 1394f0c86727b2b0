import assert from "node:assert/strict";
import { ConfigError } from "../config/config_error.ts";
import { contingencyTable } from "../ml/metrics/contingency.ts";
import { kmeans } from "../ml/kmeans/kmeans.ts";
import { ari } from "../ml/metrics/metrics.ts";
import { Random } from "../ml/random.ts";
import { StageInputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import type { ManifoldConfig } from "../stages/manifold.ts";
import { manifoldSection, manifoldStage } from "../stages/manifold.ts";
import { testContext } from "./_context.ts";

const defaults = Object.fromEntries(
  Object.entries(manifoldSection).map(([key, field]) => [key, field.default]),
) as ManifoldConfig;

/** Three well-separated Gaussian blobs in 5 dimensions, labels cycling 0, 1, 2. */
function blobs(count: number, seed: number): { points: Tensor<"float32">; labels: Int32Array } {
  const random = new Random(seed);
  const dim = 5;
  const data = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 3;
    for (let d = 0; d < dim; d++) data[i * dim + d] = (d === labels[i] ? 6 : 0) + random.normal();
  }
  return { points: tensor("float32", [count, dim], data), labels };
}

const train = blobs(300, 1);
const test = blobs(60, 2);

function runManifold(config: Partial<ManifoldConfig>) {
  const context = testContext({ manifold: { ...defaults, ...config } });
  const inputs = new StageInputs({ encode: { train: train.points, test: test.points } });
  return { context, outputs: manifoldStage.run(inputs, context) };
}

const umap: Partial<ManifoldConfig> = {
  method: "umap",
  nNeighbors: 10,
  nComponents: 2,
  nEpochs: 60,
};

Deno.test("manifold with method none passes encode's tensors on unchanged", async () => {
  assert.equal(defaults.method, "none");
  const { outputs } = runManifold({});
  const result = await outputs;
  assert.deepEqual(Object.keys(result).sort(), ["test", "train"]);
  assert.equal(result.train, train.points);
  assert.equal(result.test, test.points);
});

Deno.test("manifold with method umap is the same bytes for the same seed, other bytes for another", async () => {
  const first = await runManifold(umap).outputs;
  const second = await runManifold(umap).outputs;
  assert.deepEqual(first, second);
  const reseeded = await runManifold({ ...umap, seed: 1 }).outputs;
  assert.notDeepEqual(
    (reseeded.train as Tensor<"float32">).data,
    (first.train as Tensor<"float32">).data,
  );
});

Deno.test("manifold umap keeps separated groups apart, test points included", async () => {
  const { outputs, context } = runManifold(umap);
  const { train: embedded, test: placed } = await outputs as Record<string, Tensor<"float32">>;
  assert.deepEqual(embedded!.shape, [300, 2]);
  assert.deepEqual(placed!.shape, [60, 2]);
  assert.ok(embedded!.data.every(Number.isFinite) && placed!.data.every(Number.isFinite));

  const clustering = kmeans(embedded!.data, 2, {
    k: 3,
    init: "kmeans++",
    nInit: 5,
    maxIter: 100,
    tol: 1e-4,
    seed: 0,
  });
  assert.equal(ari(contingencyTable(clustering.assignments, train.labels, 3, 3)), 1);
  // Each test point lands nearest the centroid of its own group.
  const centroidOf = new Map<number, number>();
  train.labels.forEach((label, i) => centroidOf.set(label, clustering.assignments[i]!));
  for (let i = 0; i < 60; i++) {
    const [x, y] = [placed!.data[2 * i]!, placed!.data[2 * i + 1]!];
    const distances = [0, 1, 2].map((c) =>
      (x - clustering.centroids[2 * c]!) ** 2 + (y - clustering.centroids[2 * c + 1]!) ** 2
    );
    assert.equal(distances.indexOf(Math.min(...distances)), centroidOf.get(test.labels[i]!));
  }

  // Progress: a line every tenth of the epochs, for the fit and the test set.
  const epochLines = context.logs.filter((line) => /^UMAP: epoch \d+\/60/.test(line));
  assert.equal(epochLines.length, 10);
  assert.ok(context.logs.some((line) => /^UMAP transform: epoch 20\/20/.test(line)));
  assert.equal(context.notes.nEpochs, 60);
});

Deno.test("manifold umap from a random start gives finite coordinates, the same for a seed", async () => {
  // A random start may split a group in two (the spectral start avoids
  // that), so only the shape, finiteness and determinism are checked.
  const first = await runManifold({ ...umap, init: "random" }).outputs;
  const second = await runManifold({ ...umap, init: "random" }).outputs;
  assert.deepEqual(first, second);
  const spectral = await runManifold(umap).outputs;
  const data = (first.train as Tensor<"float32">).data;
  assert.equal(data.length, 600);
  assert.ok(data.every(Number.isFinite));
  assert.notDeepEqual(data, (spectral.train as Tensor<"float32">).data);
});

Deno.test("manifold umap gives an empty test embedding for an empty test split", async () => {
  const context = testContext({ manifold: { ...defaults, ...umap } });
  const empty = tensor("float32", [0, 5], new Float32Array(0));
  const outputs = await manifoldStage.run(
    new StageInputs({ encode: { train: train.points, test: empty } }),
    context,
  );
  assert.deepEqual((outputs.test as Tensor).shape, [0, 2]);
});

Deno.test("manifold rejects more neighbours than training points with a ConfigError", async () => {
  await assert.rejects(runManifold({ ...umap, nNeighbors: 301 }).outputs, (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(
      error.message,
      /'manifold\.nNeighbors' must be an integer in 2\.\.300 .*current value is 301/,
    );
    return true;
  });
});
