import assert from "node:assert/strict";
import { contingencyTable } from "../ml/metrics/contingency.ts";
import type { GaussianMixtureOptions } from "../ml/gmm.ts";
import { fitGaussianMixture, predictGaussianMixture } from "../ml/gmm.ts";
import { kmeans } from "../ml/kmeans/kmeans.ts";
import { accuracy, ari } from "../ml/metrics/metrics.ts";
import { Random } from "../ml/random.ts";

const kmeansStart = { init: "kmeans++", nInit: 10, maxIter: 300, tol: 1e-4, seed: 0 } as const;

function options(
  k: number,
  overrides: Partial<GaussianMixtureOptions> = {},
): GaussianMixtureOptions {
  return { k, maxIter: 300, tol: 1e-6, covarianceReg: 1e-6, kmeans: kmeansStart, ...overrides };
}

/**
 * Two long thin parallel Gaussians (x spread 10, y spread 0.3, centres 3
 * apart in y), alternating labels. k-means prefers cutting both across the
 * middle (left/right), which halves the large x variance.
 */
function parallelStrips(count: number, seed: number): { points: Float32Array; labels: Int32Array } {
  const random = new Random(seed);
  const points = new Float32Array(count * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    points[2 * i] = 10 * random.normal();
    points[2 * i + 1] = (labels[i] ? 1.5 : -1.5) + 0.3 * random.normal();
  }
  return { points, labels };
}

/** Three overlapping, tilted blobs in 3-d. */
function overlappingBlobs(count: number, seed: number): Float32Array {
  const random = new Random(seed);
  const centres = [[0, 0, 0], [2, 1, 0], [0, 2.5, 1]];
  const points = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const centre = centres[i % 3]!;
    const [u, v, w] = [random.normal(), random.normal(), random.normal()];
    points[3 * i] = centre[0]! + 1.2 * u + 0.6 * v;
    points[3 * i + 1] = centre[1]! + 0.4 * v - 0.3 * w;
    points[3 * i + 2] = centre[2]! + 0.5 * w + 0.2 * u;
  }
  return points;
}

Deno.test("fitGaussianMixture() separates two long thin parallel Gaussians that k-means cuts across", () => {
  const { points, labels } = parallelStrips(400, 1);
  const byKmeans = kmeans(points, 2, { k: 2, ...kmeansStart });
  const byMixture = fitGaussianMixture(points, 2, options(2));
  const kmeansTable = contingencyTable(byKmeans.assignments, labels, 2, 2);
  const mixtureTable = contingencyTable(byMixture.assignments, labels, 2, 2);
  assert.ok(accuracy(kmeansTable) < 0.6, `k-means accuracy ${accuracy(kmeansTable)}`);
  assert.equal(accuracy(mixtureTable), 1);
  assert.equal(ari(mixtureTable), 1);
  assert.ok(byMixture.converged);
  // Each component is a strip: long in x, thin in y.
  const { covariances } = byMixture.mixture;
  for (let j = 0; j < 2; j++) {
    assert.ok(covariances[j * 4]! > 50 && covariances[j * 4 + 3]! < 0.2);
  }
  // New points go to the strip they lie on, wherever along it.
  const fresh = parallelStrips(100, 2);
  const predicted = predictGaussianMixture(byMixture.mixture, fresh.points);
  assert.equal(accuracy(contingencyTable(predicted, fresh.labels, 2, 2)), 1);
});

Deno.test("fitGaussianMixture() log-likelihood never decreases across EM iterations", () => {
  const points = overlappingBlobs(900, 4);
  // Without a ridge each M-step is the exact maximiser: no decrease beyond
  // rounding. The ridge moves it off by a hair (a 5e-12 dip measured).
  for (const [covarianceReg, slack] of [[0, 1e-14], [1e-6, 1e-9]] as const) {
    for (const k of [2, 3, 5]) {
      const result = fitGaussianMixture(
        points,
        3,
        options(k, { tol: 0, maxIter: 60, covarianceReg }),
      );
      assert.equal(result.iterations, 60);
      assert.equal(result.reseeded, 0);
      assert.ok(result.history[1]! - result.history[0]! > 0.01);
      for (let i = 1; i < result.history.length; i++) {
        const [before, after] = [result.history[i - 1]!, result.history[i]!];
        assert.ok(
          after >= before - slack * Math.abs(before),
          `covarianceReg ${covarianceReg}, k=${k}, iteration ${i}: ${before} → ${after}`,
        );
      }
    }
  }
});

Deno.test("fitGaussianMixture() is deterministic for a seed", () => {
  const points = overlappingBlobs(300, 5);
  const first = fitGaussianMixture(points, 3, options(3));
  const second = fitGaussianMixture(points, 3, options(3));
  assert.deepEqual(first, second);
  const other = fitGaussianMixture(points, 3, options(3, { kmeans: { ...kmeansStart, seed: 9 } }));
  assert.equal(other.mixture.k, 3);
});

Deno.test("fitGaussianMixture() stays finite when points coincide and a component collapses", () => {
  // Two spots of identical points and k=3: one component must share a spot
  // and its covariance is only the ridge; nothing may turn NaN.
  const points = new Float32Array(200);
  for (let i = 0; i < 100; i++) points.set(i < 50 ? [0, 0] : [5, 5], 2 * i);
  for (const covarianceReg of [1e-6, 0]) {
    const result = fitGaussianMixture(points, 2, options(3, { covarianceReg }));
    const { weights, means, covariances, choleskyFactors } = result.mixture;
    for (const values of [weights, means, covariances, choleskyFactors]) {
      assert.ok(values.every(Number.isFinite), `covarianceReg ${covarianceReg}`);
    }
    assert.ok(Number.isFinite(result.logLikelihood));
    assert.ok(result.assignments.every((cluster) => cluster >= 0 && cluster < 3));
    assert.notEqual(result.assignments[0], result.assignments[99]);
    const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
    assert.ok(Math.abs(weightSum - 1) < 1e-12);
  }
});

Deno.test("fitGaussianMixture() rejects bad options and non-finite points", () => {
  const points = new Float32Array([0, 1, 2, 3]);
  assert.throws(() => fitGaussianMixture(points, 1, options(5)), /k must be an integer in 1\.\.4/);
  assert.throws(() => fitGaussianMixture(points, 1, options(2, { maxIter: 0 })), /maxIter/);
  assert.throws(
    () => fitGaussianMixture(points, 1, options(2, { covarianceReg: -1 })),
    /covarianceReg/,
  );
  assert.throws(
    () => fitGaussianMixture(new Float32Array([0, NaN]), 1, options(1)),
    /row 1, feature 0 is NaN/,
  );
  const { mixture } = fitGaussianMixture(points, 1, options(2));
  assert.deepEqual(predictGaussianMixture(mixture, new Float32Array(0)), new Int32Array(0));
});

Deno.test("fitGaussianMixture() re-seeds collapsing components at most k times and still converges", () => {
  // 40 points of one Gaussian cannot support 8 full-covariance components:
  // components keep collapsing onto a few points.
  const random = new Random(1);
  const points = Float32Array.from({ length: 80 }, () => random.normal());
  const result = fitGaussianMixture(
    points,
    2,
    options(8, { kmeans: { ...kmeansStart, nInit: 1 } }),
  );
  assert.ok(result.reseeded > 0 && result.reseeded <= 8, `reseeded ${result.reseeded}`);
  assert.ok(result.converged);
  assert.ok(Number.isFinite(result.logLikelihood));
  assert.ok(result.history.every(Number.isFinite));
  assert.ok(result.mixture.weights.every((weight) => weight > 0 && Number.isFinite(weight)));
});
