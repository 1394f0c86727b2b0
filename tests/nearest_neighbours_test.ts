import assert from "node:assert/strict";
import { nearestNeighbours, selfNearestNeighbours } from "../ml/nearest_neighbours.ts";
import { Random } from "../ml/random.ts";
import { blockScanner } from "../ml/_nearest_neighbours_scan.ts";

/** Brute force in float64: every distance, sorted by (distance, index). */
function bruteForce(
  queries: Float32Array,
  references: Float32Array,
  dim: number,
  k: number,
  skipSelf: boolean,
): number[][] {
  const rows: number[][] = [];
  for (let query = 0; query < queries.length / dim; query++) {
    const candidates: [number, number][] = [];
    for (let reference = 0; reference < references.length / dim; reference++) {
      if (skipSelf && reference === query) continue;
      let sum = 0;
      for (let i = 0; i < dim; i++) {
        sum += (queries[query * dim + i]! - references[reference * dim + i]!) ** 2;
      }
      candidates.push([Math.sqrt(sum), reference]);
    }
    candidates.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    rows.push(candidates.slice(0, k).map(([, index]) => index));
  }
  return rows;
}

function rowsOf(indices: Int32Array, k: number): number[][] {
  return Array.from(
    { length: indices.length / k },
    (_, row) => Array.from(indices.subarray(row * k, (row + 1) * k)),
  );
}

/** Gaussian points around an offset far from the origin, where cancellation would bite. */
function randomPoints(random: Random, count: number, dim: number): Float32Array {
  return Float32Array.from({ length: count * dim }, () => 100 + 3 * random.normal());
}

for (const kernel of ["auto", "js"] as const) {
  Deno.test(`nearestNeighbours() matches a brute-force search on random data (${kernel} kernel)`, () => {
    const random = new Random(7);
    for (
      const [dim, referenceCount, queryCount, k] of [[1, 50, 9, 5], [3, 403, 37, 12], [
        10,
        1500,
        101,
        20,
      ], [13, 257, 30, 257]] as const
    ) {
      const references = randomPoints(random, referenceCount, dim);
      const queries = randomPoints(random, queryCount, dim);
      const result = nearestNeighbours(queries, references, dim, k, { kernel });
      assert.equal(result.count, queryCount);
      assert.equal(result.k, k);
      assert.deepEqual(
        rowsOf(result.indices, k),
        bruteForce(queries, references, dim, k, false),
        `dim ${dim}, ${referenceCount} references, k ${k}`,
      );
      // Distances are the float64 Euclidean distances (to float32), nearest first.
      const [query, j] = [queryCount - 1, k - 1];
      const reference = result.indices[query * k + j]!;
      let sum = 0;
      for (let i = 0; i < dim; i++) {
        sum += (queries[query * dim + i]! - references[reference * dim + i]!) ** 2;
      }
      assert.equal(result.distances[query * k + j], Math.fround(Math.sqrt(sum)));
      for (let entry = 1; entry < k; entry++) {
        assert.ok(result.distances[entry - 1]! <= result.distances[entry]!);
      }
    }
  });

  Deno.test(`selfNearestNeighbours() lists each point first, then its nearest others (${kernel} kernel)`, () => {
    const random = new Random(3);
    const dim = 6;
    const points = randomPoints(random, 700, dim);
    const k = 15;
    const result = selfNearestNeighbours(points, dim, k, { kernel });
    const expected = bruteForce(points, points, dim, k - 1, true).map((row, point) => [
      point,
      ...row,
    ]);
    assert.deepEqual(rowsOf(result.indices, k), expected);
    for (let point = 0; point < 700; point++) assert.equal(result.distances[point * k], 0);
  });
}

Deno.test("selfNearestNeighbours() keeps a point first even when duplicates precede it", () => {
  // Points 0, 1 and 2 coincide; point 3 is apart.
  const points = new Float32Array([1, 1, 1, 1, 1, 1, 4, 5]);
  const { indices, distances } = selfNearestNeighbours(points, 2, 3);
  assert.deepEqual(Array.from(indices), [0, 1, 2, 1, 0, 2, 2, 0, 1, 3, 0, 1]);
  assert.deepEqual(Array.from(distances.subarray(0, 9)), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(distances[10], 5);
});

Deno.test("nearestNeighbours() orders equal distances by reference index", () => {
  // Query 0 is equally far (1) from references 3, 1, 0 and 2.
  const references = new Float32Array([1, 0, -1, 0, 0, 1, 0, -1, 5, 5]);
  const { indices } = nearestNeighbours(new Float32Array([0, 0]), references, 2, 4);
  assert.deepEqual(Array.from(indices), [0, 1, 2, 3]);
});

Deno.test("nearestNeighbours() rejects k outside 1..references and ragged rows", () => {
  const points = new Float32Array([0, 1, 2]);
  assert.throws(() => nearestNeighbours(points, points, 1, 4), /k must be an integer in 1\.\.3/);
  assert.throws(() => selfNearestNeighbours(points, 1, 0), /current value is 0/);
  assert.throws(() => nearestNeighbours(points, points, 2, 1), /rows of 2/);
});

Deno.test("the WebAssembly scanner is used here and computes the same float32 distances as JavaScript", () => {
  const random = new Random(11);
  const dim = 10;
  const references = randomPoints(random, 101, dim);
  const queries = randomPoints(random, 5, dim);
  const simd = blockScanner(queries, references, dim);
  const plain = blockScanner(queries, references, dim, "js");
  assert.equal(simd.constructor.name, "WasmScanner");
  for (let query = 0; query < 5; query++) {
    const count = simd.scan(query, 0, simd.groupCount, Infinity);
    assert.equal(count, 26); // every group of four, the last padded with NaN
    assert.equal(plain.scan(query, 0, plain.groupCount, Infinity), count);
    assert.deepEqual(
      simd.candidateGroups.subarray(0, count),
      plain.candidateGroups.subarray(0, count),
    );
    assert.deepEqual(
      simd.candidateDistances.subarray(0, count * 4),
      plain.candidateDistances.subarray(0, count * 4),
    );
  }
});
