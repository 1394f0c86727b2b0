import assert from "node:assert/strict";
import { ConfigError } from "../config/config_error.ts";
import type { StageOutputs } from "../engine/stage.ts";
import { StageInputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import { Random } from "../ml/random.ts";
import { baselineSection, baselineStage } from "../stages/baseline.ts";
import type { ClusterConfig } from "../stages/cluster.ts";
import { clusterSection, clusterStage } from "../stages/cluster.ts";
import { evaluateStage } from "../stages/evaluate.ts";
import { testContext } from "./_context.ts";

/** The section's defaults, as the engine would fill them in. */
function defaultsOf(section: Record<string, { default: unknown }>): ClusterConfig {
  return Object.fromEntries(
    Object.entries(section).map(([key, field]) => [key, field.default]),
  ) as ClusterConfig;
}

// Two tight groups on a line, plus test points near each.
const train = tensor(
  "float32",
  [6, 2],
  new Float32Array([0, 0, 0.1, 0, 0, 0.1, 5, 5, 5.1, 5, 5, 5.1]),
);
const test = tensor("float32", [3, 2], new Float32Array([4.9, 5, 0.2, 0.1, 5.2, 5.2]));

function runCluster(config: Partial<ClusterConfig>) {
  const context = testContext({ cluster: { ...defaultsOf(clusterSection), ...config } });
  const inputs = new StageInputs({ manifold: { train, test } });
  return { context, outputs: clusterStage.run(inputs, context) };
}

Deno.test("cluster outputs centroids, train and test assignments and a summary", async () => {
  const { outputs, context } = runCluster({ k: 2 });
  const { centroids, trainAssignments, testAssignments, summary } = await outputs;
  const centres = centroids as Tensor<"float32">;
  assert.equal(centres.dtype, "float32");
  assert.deepEqual(centres.shape, [2, 2]);
  const trainTensor = trainAssignments as Tensor<"int32">;
  assert.equal(trainTensor.dtype, "int32");
  const [a, b] = [trainTensor.data[0]!, trainTensor.data[3]!];
  assert.notEqual(a, b);
  assert.deepEqual(Array.from(trainTensor.data), [a, a, a, b, b, b]);
  assert.deepEqual(Array.from((testAssignments as Tensor<"int32">).data), [b, a, b]);
  const { inertia, iterations, reseeded } = summary as Record<string, number>;
  assert.ok(Math.abs(inertia! - 4 * (0.1 ** 2 * 2 / 3)) < 1e-6);
  assert.ok(iterations! >= 1);
  assert.equal(reseeded, 0);
  assert.equal(context.notes.reseeded, 0);
});

Deno.test("cluster outputs are the same bytes on every run (no timings inside)", async () => {
  const first = await runCluster({ k: 3, nInit: 4, seed: 9 }).outputs;
  const second = await runCluster({ k: 3, nInit: 4, seed: 9 }).outputs;
  assert.deepEqual(first, second);
  assert.deepEqual(Object.keys(first.summary as object).sort(), [
    "inertia",
    "iterations",
    "reseeded",
  ]);
});

Deno.test("cluster reads its input from the manifold stage", () => {
  assert.deepEqual(clusterStage.needs, ["manifold"]);
});

Deno.test("cluster with method gmm outputs the mixture's means and assigns test points by it", async () => {
  // Two long thin parallel strips (y = ±1.5) that k-means cuts across the middle.
  const random = new Random(1);
  const count = 400;
  const points = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    points[2 * i] = 10 * random.normal();
    points[2 * i + 1] = (i % 2 ? 1.5 : -1.5) + 0.3 * random.normal();
  }
  // Test points at the far ends of each strip, where k-means's left/right cut disagrees.
  const stripTest = tensor(
    "float32",
    [4, 2],
    new Float32Array([-20, 1.5, 20, 1.5, -20, -1.5, 20, -1.5]),
  );
  const inputs = new StageInputs({
    manifold: { train: tensor("float32", [count, 2], points), test: stripTest },
  });
  // EM leaves k-means's left/right cut slowly at first: a tighter tol than
  // the default lets it get going.
  const config = { ...defaultsOf(clusterSection), k: 2, init: "kmeans++" as const, tol: 1e-6 };
  const byMixture = await clusterStage.run(
    inputs,
    testContext({ cluster: { ...config, method: "gmm" as const } }),
  );
  const byKmeans = await clusterStage.run(inputs, testContext({ cluster: config }));

  const upper = (outputs: StageOutputs) => {
    const assignments = (outputs.trainAssignments as Tensor<"int32">).data;
    const label = assignments[1]!;
    return assignments.every((cluster, i) => (cluster === label) === (i % 2 === 1));
  };
  assert.ok(upper(byMixture), "the mixture finds the strips");
  assert.ok(!upper(byKmeans), "k-means cuts across them");
  const testAssignments = Array.from((byMixture.testAssignments as Tensor<"int32">).data);
  assert.equal(testAssignments[0], testAssignments[1]);
  assert.equal(testAssignments[2], testAssignments[3]);
  assert.notEqual(testAssignments[0], testAssignments[2]);
  // Centroids are the component means: one on each strip.
  const means = (byMixture.centroids as Tensor<"float32">).data;
  const heights = [means[1]!, means[3]!].sort((a, b) => a - b);
  assert.ok(Math.abs(heights[0]! + 1.5) < 0.1 && Math.abs(heights[1]! - 1.5) < 0.1, `${heights}`);
  const summary = byMixture.summary as Record<string, unknown>;
  assert.deepEqual(Object.keys(summary).sort(), [
    "converged",
    "iterations",
    "logLikelihood",
    "reseeded",
  ]);
  assert.equal(summary.converged, true);
  // The same configuration gives the same bytes.
  const again = await clusterStage.run(
    inputs,
    testContext({ cluster: { ...config, method: "gmm" as const } }),
  );
  assert.deepEqual(again, byMixture);
});

Deno.test("cluster rejects k larger than the number of training points with a ConfigError", async () => {
  const { outputs } = runCluster({ k: 7 });
  await assert.rejects(outputs, (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /'cluster\.k' must be an integer in 1\.\.6 .*current value is 7/);
    return true;
  });
  await assert.rejects(runCluster({ k: 0 }).outputs, ConfigError);
});

Deno.test("baseline clusters normalise's pixels and names its own section in errors", async () => {
  const config = defaultsOf(baselineSection);
  assert.equal(config.nInit, 3);
  const inputs = new StageInputs({ normalise: { train, test } });
  const outputs = await baselineStage.run(inputs, testContext({ baseline: { ...config, k: 2 } }));
  assert.deepEqual((outputs.centroids as Tensor).shape, [2, 2]);
  await assert.rejects(
    baselineStage.run(inputs, testContext({ baseline: { ...config, k: 60 } })),
    { name: "ConfigError", message: /'baseline\.k'/ },
  );
});

function evaluateInputs(trainLabels: number[], testLabels: number[]): StageInputs {
  const int32 = (values: number[]) => tensor("int32", [values.length], Int32Array.from(values));
  const clusterOutputs: StageOutputs = {
    centroids: tensor("float32", [2, 1], new Float32Array([0, 1])),
    trainAssignments: int32([0, 0, 0, 1, 1, 1]),
    testAssignments: int32([1, 0, 0]),
  };
  const baselineOutputs: StageOutputs = {
    centroids: tensor("float32", [3, 1], new Float32Array([0, 1, 2])),
    trainAssignments: int32([0, 1, 2, 0, 1, 2]),
    testAssignments: int32([0, 0, 0]),
  };
  return new StageInputs({
    load: { trainLabels: int32(trainLabels), testLabels: int32(testLabels) },
    cluster: clusterOutputs,
    baseline: baselineOutputs,
  });
}

Deno.test("evaluate scores train, test and baseline and returns their contingency tables", async () => {
  const outputs = await evaluateStage.run(
    evaluateInputs([0, 0, 1, 1, 1, -1], [1, 0, 2]),
    testContext({ evaluate: {} }),
  );
  const metrics = outputs.metrics as Record<string, unknown>;
  // Train: cluster 0 holds labels 0, 0, 1 and cluster 1 holds 1, 1 (one unknown left out).
  assert.equal(metrics.purity, (2 / 3 + 1) / 2);
  assert.equal(metrics.weightedPurity, 4 / 5);
  assert.equal(metrics.accuracy, 4 / 5);
  assert.equal(metrics.k, 2);
  assert.equal(metrics.n, 5);
  for (const key of ["nmi", "ari"]) assert.equal(typeof metrics[key], "number");
  const testScores = metrics.test as Record<string, number>;
  assert.equal(testScores.n, 3);
  assert.equal(testScores.accuracy, 2 / 3);
  const baseline = metrics.baseline as Record<string, number>;
  assert.equal(baseline.k, 3);
  assert.equal(baseline.n, 5);
  assert.deepEqual(outputs.contingency, {
    train: [[2, 1, 0], [0, 2, 0]],
    test: [[1, 0, 1], [0, 1, 0]],
    baseline: [[1, 1, 0], [1, 1, 0], [0, 1, 0]],
  });
});

Deno.test("evaluate gives null scores for a set without labelled points", async () => {
  const outputs = await evaluateStage.run(
    evaluateInputs([-1, -1, -1, -1, -1, -1], [-1, -1, -1]),
    testContext({ evaluate: {} }),
  );
  const metrics = outputs.metrics as Record<string, unknown>;
  assert.equal(metrics.purity, null);
  assert.equal(metrics.n, 0);
  assert.equal((metrics.test as Record<string, unknown>).ari, null);
  assert.deepEqual((outputs.contingency as Record<string, unknown>).train, [[], []]);
});
