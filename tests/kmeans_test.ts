import assert from "node:assert/strict";
import type { KMeansOptions } from "../ml/kmeans/kmeans.ts";
import { assign, kmeans } from "../ml/kmeans/kmeans.ts";
import { Random } from "../ml/random.ts";
import { runKMeans } from "../ml/kmeans/_run.ts";
import { randomCentroids } from "../ml/kmeans/_init.ts";
import type { DistanceKernel } from "../ml/kmeans/_distance.ts";
import { JsDistanceKernel } from "../ml/kmeans/_distance.ts";
import { wasmDistanceKernel } from "../ml/kmeans/_wasm.ts";

const defaults: KMeansOptions = {
  k: 3,
  init: "random",
  nInit: 1,
  maxIter: 300,
  tol: 1e-4,
  seed: 0,
};

/** `perBlob` points around each centre, with unit-free Gaussian noise. */
function blobs(centres: number[][], perBlob: number, spread: number, seed: number) {
  const random = new Random(seed);
  const dim = centres[0]!.length;
  const points = new Float32Array(centres.length * perBlob * dim);
  const blobOf = new Int32Array(centres.length * perBlob);
  centres.forEach((centre, blob) => {
    for (let i = 0; i < perBlob; i++) {
      const row = blob * perBlob + i;
      blobOf[row] = blob;
      for (let d = 0; d < dim; d++) points[row * dim + d] = centre[d]! + spread * random.normal();
    }
  });
  return { points, dim, blobOf };
}

/** True when two partitions are equal up to renaming their parts. */
function samePartition(a: Int32Array, b: Int32Array): boolean {
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((forward.get(x) ?? y) !== y || (backward.get(y) ?? x) !== x) return false;
    forward.set(x, y);
    backward.set(y, x);
  }
  return true;
}

Deno.test("kmeans() finds the means of a hand-computed one-dimensional case", () => {
  const points = new Float32Array([0, 1, 10, 11, 20, 21]);
  const result = kmeans(points, 1, { ...defaults, init: "kmeans++", nInit: 3 });
  assert.deepEqual(Array.from(result.centroids).sort((a, b) => a - b), [0.5, 10.5, 20.5]);
  assert.equal(result.inertia, 6 * 0.25);
  assert.ok(samePartition(result.assignments, new Int32Array([0, 0, 1, 1, 2, 2])));
});

Deno.test("kmeans() with kmeans++ recovers three separated blobs from one initialisation", () => {
  const { points, dim, blobOf } = blobs([[0, 0, 0], [5, 5, 0], [0, 5, 5]], 200, 0.5, 1);
  for (let seed = 0; seed < 10; seed++) {
    const result = kmeans(points, dim, { ...defaults, init: "kmeans++", seed });
    assert.ok(samePartition(result.assignments, blobOf), `seed ${seed}`);
    assert.equal(result.centroids.length, 3 * dim);
  }
});

Deno.test("kmeans() is deterministic for a seed, down to the bytes", () => {
  const { points, dim } = blobs([[0, 0], [1, 1], [2, 0], [1, -1]], 100, 0.6, 2);
  for (const init of ["random", "kmeans++"] as const) {
    const options = { ...defaults, k: 4, init, nInit: 3, seed: 42 };
    const first = kmeans(points, dim, options);
    const second = kmeans(points, dim, options);
    assert.deepEqual(first.centroids, second.centroids);
    assert.deepEqual(first.assignments, second.assignments);
    assert.equal(first.inertia, second.inertia);
  }
});

Deno.test("kmeans() keeps the restart with the lowest inertia", () => {
  const { points, dim } = blobs([[0, 0], [1, 1], [2, 0], [1, -1], [3, 3]], 60, 0.7, 3);
  const options = { ...defaults, k: 5, seed: 5 };
  // Both start from the same first initialisation; more restarts can only help.
  const once = kmeans(points, dim, options);
  const many = kmeans(points, dim, { ...options, nInit: 8 });
  assert.ok(many.inertia <= once.inertia);
  assert.ok(many.bestInit >= 0 && many.bestInit < 8);
});

Deno.test("kmeans() reports the inertia of the centroids and assignments it returns", () => {
  const { points, dim } = blobs([[0, 0, 0, 0], [2, 2, 2, 2]], 150, 1.5, 4);
  const result = kmeans(points, dim, { ...defaults, k: 6, nInit: 2 });
  let inertia = 0;
  for (let row = 0; row < points.length / dim; row++) {
    const cluster = result.assignments[row]!;
    for (let d = 0; d < dim; d++) {
      inertia += (points[row * dim + d]! - result.centroids[cluster * dim + d]!) ** 2;
    }
  }
  assert.ok(Math.abs(inertia - result.inertia) < 1e-6 * inertia);
  // Every point sits with its nearest centroid.
  assert.deepEqual(assign(points, result.centroids, dim), result.assignments);
});

Deno.test("kmeans() leaves no cluster empty when k equals the number of distinct points", () => {
  // Random initialisation often picks both zeros: one cluster starts empty.
  const points = new Float32Array([0, 0, 1, 2]);
  let reseeded = 0;
  for (let seed = 0; seed < 12; seed++) {
    const result = kmeans(points, 1, { ...defaults, seed });
    assert.ok(result.centroids.every(Number.isFinite), `seed ${seed}: ${result.centroids}`);
    assert.equal(result.inertia, 0, `seed ${seed}`);
    assert.equal(new Set(result.assignments).size, 3, `seed ${seed}`);
    reseeded += result.reseeded;
  }
  assert.ok(reseeded > 0, "no seed exercised re-seeding");
});

Deno.test("kmeans() never returns a NaN centroid when points repeat beyond k", () => {
  const points = new Float32Array([7, 7, 7, 7]);
  const result = kmeans(points, 1, { ...defaults, k: 4 });
  assert.deepEqual(Array.from(result.centroids), [7, 7, 7, 7]);
  assert.ok(result.reseeded > 0);
  assert.equal(result.inertia, 0);
});

Deno.test("kmeans() stops at maxIter and runs to stable assignments with tol 0", () => {
  const { points, dim } = blobs([[0, 0], [1, 1], [2, 0]], 100, 0.8, 6);
  assert.equal(kmeans(points, dim, { ...defaults, maxIter: 1 }).iterations, 1);
  const stable = kmeans(points, dim, { ...defaults, tol: 0 });
  // Stable assignments: one more update would not move a thing.
  const again = runKMeans(
    points,
    dim,
    Float64Array.from(stable.centroids),
    300,
    0,
    "lloyd",
    new JsDistanceKernel(points, dim),
  );
  assert.ok(samePartition(again.assignments, stable.assignments));
  assert.ok(again.iterations <= 2);
});

function kernels(points: Float32Array, dim: number, capacity: number) {
  const wasm = wasmDistanceKernel(points, dim, capacity);
  assert.ok(wasm !== undefined, "WebAssembly SIMD is unavailable");
  return { js: new JsDistanceKernel(points, dim), wasm } satisfies Record<string, DistanceKernel>;
}

Deno.test("distance kernels (JavaScript, WebAssembly) agree for every width and count", () => {
  const random = new Random(11);
  for (const dim of [1, 2, 3, 4, 5, 7, 8, 9, 784]) {
    const points = Float32Array.from({ length: 5 * dim }, () => random.next());
    for (const k of [1, 3, 4, 6, 9]) {
      const centroids = Float64Array.from({ length: k * dim }, () => random.next());
      const { js, wasm } = kernels(points, dim, k);
      js.useCentroids(centroids);
      wasm.useCentroids(centroids);
      const expected = new Float64Array(k);
      const actual = new Float64Array(k);
      for (let row = 0; row < 5; row++) {
        js.squaredDistancesToAll(row, expected);
        wasm.squaredDistancesToAll(row, actual);
        for (let j = 0; j < k; j++) {
          let direct = 0;
          for (let i = 0; i < dim; i++) {
            direct += (points[row * dim + i]! - centroids[j * dim + i]!) ** 2;
          }
          for (const value of [expected[j]!, actual[j]!, wasm.squaredDistance(row, j)]) {
            assert.ok(
              Math.abs(value - direct) <= 1e-12 * direct,
              `dim ${dim} k ${k}: ${value} ≠ ${direct}`,
            );
          }
        }
      }
    }
  }
});

Deno.test("k-means assignment steps and kernels all give the same clustering", () => {
  for (const dim of [2, 5, 40]) {
    const random = new Random(dim);
    const centres = Array.from(
      { length: 6 },
      () => Array.from({ length: dim }, () => random.next()),
    );
    const { points } = blobs(centres, 80, 0.3, dim);
    const initial = randomCentroids(points, dim, 8, new Random(1));
    const { js, wasm } = kernels(points, dim, 8);
    const reference = runKMeans(points, dim, initial, 300, 0, "lloyd", js);
    for (const [name, kernel] of Object.entries({ js, wasm })) {
      for (const kind of ["lloyd", "hamerly", "elkan"] as const) {
        const label = `${kind} on ${name}, dim ${dim}`;
        const run = runKMeans(points, dim, initial, 300, 0, kind, kernel);
        assert.deepEqual(run.assignments, reference.assignments, label);
        assert.equal(run.iterations, reference.iterations, label);
        assert.ok(Math.abs(run.inertia - reference.inertia) < 1e-9 * reference.inertia, label);
      }
    }
  }
});

Deno.test("kmeans() rejects k outside 1..number of points", () => {
  const points = new Float32Array([0, 1, 2]);
  for (const k of [0, -1, 1.5, 4]) {
    assert.throws(() => kmeans(points, 1, { ...defaults, k }), {
      name: "RangeError",
      message: new RegExp(`k must be an integer in 1\\.\\.3: current value is ${k}`),
    });
  }
  assert.throws(() => kmeans(new Float32Array(5), 2, defaults), RangeError);
});

Deno.test("assign() picks the nearest centroid, the lower index on a tie", () => {
  const centroids = new Float32Array([0, 0, 2, 0, 0, 2]);
  const points = new Float32Array([0.1, 0, 1.9, 0.2, 1, 0, 0, 5]);
  assert.deepEqual(Array.from(assign(points, centroids, 2)), [0, 1, 0, 2]);
});
