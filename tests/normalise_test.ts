import assert from "node:assert/strict";
import { StageInputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import { featureStatistics, normaliseStage, scaleToUnit } from "../stages/normalise.ts";
import { testContext } from "./_context.ts";

async function normalise(
  trainImages: Tensor<"uint8">,
  testImages: Tensor<"uint8">,
  standardise: boolean,
) {
  const inputs = new StageInputs({ load: { trainImages, testImages } });
  const context = testContext({ normalise: { standardise } });
  const outputs = await normaliseStage.run(inputs, context);
  const asFloat = (value: unknown) => value as Tensor<"float32">;
  return {
    train: asFloat(outputs.train),
    test: asFloat(outputs.test),
    featureMean: asFloat(outputs.featureMean),
    featureScale: asFloat(outputs.featureScale),
    notes: context.notes,
  };
}

Deno.test("normalise scales pixels to [0, 1] and flattens each image to one row", async () => {
  const train = tensor("uint8", [2, 2, 2], new Uint8Array([0, 255, 51, 102, 1, 2, 3, 4]));
  const test = tensor("uint8", [1, 2, 2], new Uint8Array([255, 0, 0, 255]));
  const { train: rows, test: testRows, featureMean, featureScale } = await normalise(
    train,
    test,
    false,
  );
  assert.equal(rows.dtype, "float32");
  assert.deepEqual(rows.shape, [2, 4]);
  assert.deepEqual(testRows.shape, [1, 4]);
  assert.deepEqual([...rows.data], [
    ...new Float32Array([0, 1, 0.2, 0.4, 1 / 255, 2 / 255, 3 / 255, 4 / 255]),
  ]);
  assert.deepEqual([...testRows.data], [1, 0, 0, 1]);
  assert.deepEqual([...featureMean.data], [0, 0, 0, 0]);
  assert.deepEqual([...featureScale.data], [1, 1, 1, 1]);
});

Deno.test("scaleToUnit() gives the float32 nearest to pixel / 255 for every byte", () => {
  const every = Uint8Array.from({ length: 256 }, (_, value) => value);
  const scaled = scaleToUnit(every);
  for (let value = 0; value < 256; value++) assert.equal(scaled[value], Math.fround(value / 255));
});

Deno.test("normalise standardises both splits with the training split's statistics", async () => {
  // Feature 0 takes 0 and 255 in training (mean 0.5, std 0.5); feature 1 is 51 then 153.
  const train = tensor("uint8", [2, 1, 2], new Uint8Array([0, 51, 255, 153]));
  const test = tensor("uint8", [1, 1, 2], new Uint8Array([255, 255]));
  const { train: rows, test: testRows, featureMean, featureScale } = await normalise(
    train,
    test,
    true,
  );
  [-1, -1, 1, 1].forEach((expected, i) => assert.ok(Math.abs(rows.data[i]! - expected) < 1e-6));
  assert.ok(Math.abs(featureMean.data[0]! - 0.5) < 1e-7);
  assert.ok(Math.abs(featureMean.data[1]! - 0.4) < 1e-7);
  assert.ok(Math.abs(featureScale.data[1]! - 0.2) < 1e-7);
  assert.ok(Math.abs(testRows.data[0]! - 1) < 1e-6); // (1 - 0.5) / 0.5
  assert.ok(Math.abs(testRows.data[1]! - 3) < 1e-5); // (1 - 0.4) / 0.2
});

Deno.test("normalise centres constant features instead of dividing by zero (no NaN)", async () => {
  // Feature 0 is always 0, feature 1 always 77 (77/255 is not exact in binary), feature 2 varies.
  const train = tensor("uint8", [3, 3], new Uint8Array([0, 77, 0, 0, 77, 128, 0, 77, 255]));
  const test = tensor("uint8", [1, 3], new Uint8Array([255, 77, 0]));
  const { train: rows, test: testRows, featureScale, notes } = await normalise(train, test, true);
  for (const value of [...rows.data, ...testRows.data]) assert.ok(Number.isFinite(value));
  assert.equal(featureScale.data[0], 1);
  assert.equal(featureScale.data[1], 1);
  assert.deepEqual([rows.data[0], rows.data[3], rows.data[6]], [0, 0, 0]);
  for (const row of [0, 1, 2]) assert.ok(Math.abs(rows.data[3 * row + 1]!) < 1e-6);
  assert.equal(testRows.data[0], 1); // centred on 0, not scaled
  assert.equal(notes.constantFeatures, 2);
});

Deno.test("featureStatistics() on a column of a million equal non-round values finds it constant", () => {
  const rows = new Float32Array(1_000_000).fill(77 / 255);
  const { scale, constantFeatures } = featureStatistics(rows, 1);
  assert.equal(scale[0], 1);
  assert.equal(constantFeatures, 1);
});

Deno.test("normalise passes an empty test split through as 0 rows", async () => {
  const train = tensor("uint8", [1, 2, 2], new Uint8Array([0, 1, 2, 3]));
  const test = tensor("uint8", [0, 2, 2], new Uint8Array(0));
  for (const standardise of [false, true]) {
    const { test: testRows } = await normalise(train, test, standardise);
    assert.deepEqual(testRows.shape, [0, 4]);
  }
});
