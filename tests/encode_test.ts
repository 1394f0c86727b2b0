import assert from "node:assert/strict";
import { StageInputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import type { SavedAutoencoder } from "../nn/autoencoder.ts";
import { decode, encode, reconstruct } from "../nn/inference.ts";
import { loadBackend } from "../nn/backend.ts";
import type { TrainConfig } from "../stages/train.ts";
import { trainSection, trainStage } from "../stages/train.ts";
import { encodeStage } from "../stages/encode.ts";
import { testContext } from "./_context.ts";
import { mnistSample } from "./_mnist_sample.ts";

const images = await mnistSample(400);
const train = tensor("float32", [300, 784], images.data.subarray(0, 300 * 784));
const test = tensor("float32", [100, 784], images.data.subarray(300 * 784));

/** A small autoencoder trained for one epoch: enough to have distinct codes. */
async function trainedModel(encodedDim: number): Promise<SavedAutoencoder> {
  const defaults = Object.fromEntries(
    Object.entries(trainSection).map(([key, field]) => [key, structuredClone(field.default)]),
  ) as unknown as TrainConfig;
  const config: TrainConfig = {
    ...defaults,
    encoderLayers: [32],
    encodedDim,
    epochs: 1,
    batchSize: 50,
    learningRate: 0.01,
  };
  const outputs = await trainStage.run(
    new StageInputs({ normalise: { train, test } }),
    testContext({ train: config, backend: "wasm" as const }),
  );
  return {
    modelJson: outputs.modelJson as SavedAutoencoder["modelJson"],
    weights: outputs.weights as Uint8Array,
  };
}

const model = await trainedModel(3);

function maxDifference(a: Tensor<"float32">, b: Tensor<"float32">): number {
  assert.deepEqual(a.shape, b.shape);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i]! - b.data[i]!));
  return max;
}

Deno.test("encodeStage encodes the training and test rows into N×encodedDim float32", async () => {
  const wide = await trainedModel(5);
  const context = testContext({ encode: { batchSize: 64 }, backend: "wasm" as const });
  const outputs = await encodeStage.run(
    new StageInputs({ normalise: { train, test }, train: { ...wide } }),
    context,
  );
  const codes = outputs.train as Tensor<"float32">;
  assert.equal(codes.dtype, "float32");
  assert.deepEqual(codes.shape, [300, 5]);
  assert.deepEqual((outputs.test as Tensor).shape, [100, 5]);
  // Sigmoid codes lie in (0, 1), and different images get different codes.
  assert.ok(codes.data.every((value) => value > 0 && value < 1));
  assert.notDeepEqual(codes.data.subarray(0, 5), codes.data.subarray(5, 10));
});

Deno.test("encode() gives the same codes whatever the batch size", async () => {
  const whole = await encode(model, train, "wasm");
  const batched = await encode(model, train, "wasm", 7);
  assert.ok(maxDifference(whole, batched) <= 1e-6);
});

Deno.test("decode() of encode() is reconstruct(): the model splits at its code layer", async () => {
  const sample = tensor("float32", [10, 784], train.data.subarray(0, 10 * 784));
  const viaCodes = await decode(model, await encode(model, sample, "wasm"), "wasm");
  const direct = await reconstruct(model, sample, "wasm");
  assert.deepEqual(direct.shape, [10, 784]);
  assert.ok(maxDifference(viaCodes, direct) <= 1e-6);
  assert.ok(direct.data.every((value) => value >= 0 && value <= 1));
});

Deno.test("decode() turns k codes (k-means centroids) into k images", async () => {
  const centroids = tensor("float32", [2, 3], new Float32Array([0.1, 0.5, 0.9, 0.3, 0.3, 0.3]));
  const decoded = await decode(model, centroids, "wasm");
  assert.deepEqual(decoded.shape, [2, 784]);
  assert.notDeepEqual(decoded.data.subarray(0, 784), decoded.data.subarray(784));
});

Deno.test("encode() refuses rows whose width is not the model's input width", async () => {
  const narrow = tensor("float32", [2, 10], new Float32Array(20));
  await assert.rejects(() => encode(model, narrow, "wasm"), RangeError);
  await assert.rejects(() => decode(model, narrow, "wasm"), RangeError);
});

Deno.test("encode(), decode() and reconstruct() free every tensor they made", async () => {
  const { tf } = await loadBackend("wasm");
  const before = tf.memory().numTensors;
  const codes = await encode(model, train, "wasm", 100);
  await decode(model, codes, "wasm");
  await reconstruct(model, test, "wasm");
  assert.equal(tf.memory().numTensors, before);
});
