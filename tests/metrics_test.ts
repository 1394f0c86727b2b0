import assert from "node:assert/strict";
import {
  contingencyFromRows,
  contingencyRows,
  contingencyTable,
} from "../ml/metrics/contingency.ts";
import {
  accuracy,
  ari,
  nmi,
  purity,
  scoreClustering,
  weightedPurity,
} from "../ml/metrics/metrics.ts";

const table = contingencyFromRows;

function assertClose(actual: number, expected: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${message ?? ""} ${actual} ≠ ${expected}`);
}

Deno.test("contingencyTable() counts clusters × labels and leaves out unknown labels", () => {
  const assignments = new Int32Array([0, 0, 1, 1, 1, 2]);
  const labels = new Int32Array([1, -1, 0, 0, 1, -1]);
  const counted = contingencyTable(assignments, labels, 3, 2);
  assert.deepEqual(contingencyRows(counted), [[0, 1], [2, 1], [0, 0]]);
});

Deno.test("contingencyTable() rejects labels and assignments out of range", () => {
  assert.throws(() => contingencyTable(new Int32Array([0, 3]), new Int32Array([0, 0]), 3, 1), {
    name: "RangeError",
    message: /Assignment 3 of point 1/,
  });
  assert.throws(() => contingencyTable(new Int32Array([0]), new Int32Array([-2]), 1, 1), {
    name: "RangeError",
    message: /Label -2/,
  });
  assert.throws(() => contingencyTable(new Int32Array([0]), new Int32Array([0, 1])), RangeError);
});

Deno.test("metrics are all 1 for a perfect clustering under renamed clusters", () => {
  const scores = scoreClustering(
    contingencyTable(new Int32Array([2, 2, 0, 0, 1, 1]), new Int32Array([0, 0, 1, 1, 2, 2])),
  );
  assert.deepEqual(scores, {
    purity: 1,
    weightedPurity: 1,
    accuracy: 1,
    nmi: 1,
    ari: 1,
    k: 3,
    n: 6,
  });
});

Deno.test("purity() is the seed's unweighted mean, weightedPurity() the textbook one", () => {
  // Cluster 0 is 3/4 pure, cluster 1 is 1/1, cluster 2 is empty and ignored.
  const counts = table([[3, 1], [0, 1], [0, 0]]);
  assert.equal(purity(counts), (3 / 4 + 1) / 2);
  assert.equal(weightedPurity(counts), (3 + 1) / 5);
});

Deno.test("accuracy() finds the best one-to-one mapping where greedy matching fails", () => {
  // Greedy maps cluster 0 to label 0 (5) and is left with 0; crossing gives 4 + 4.
  assert.equal(accuracy(table([[5, 4], [4, 0]])), 8 / 13);
});

Deno.test("accuracy() accepts more clusters than labels and more labels than clusters", () => {
  // Cluster 2 has no label left to map to: its points count as wrong.
  assert.equal(accuracy(table([[3, 0], [0, 2], [1, 1]])), 5 / 7);
  assert.equal(accuracy(table([[3, 1, 2]])), 3 / 6);
  assertClose(accuracy(table([[10, 2, 0], [1, 8, 3], [0, 1, 9], [4, 0, 0]])), 27 / 38);
});

Deno.test("nmi() matches the definition on a hand-computed table", () => {
  // Clusters of sizes 2, 2; labels of sizes 3, 1; N = 4.
  const mutual = 0.5 * Math.log(4 / 3) + 0.25 * Math.log(2 / 3) + 0.25 * Math.log(2);
  const clusterEntropy = Math.log(2);
  const labelEntropy = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
  assertClose(nmi(table([[2, 0], [1, 1]])), mutual / ((clusterEntropy + labelEntropy) / 2));
});

Deno.test("nmi() and ari() agree with scikit-learn 1.2 on larger tables", () => {
  // Values printed by sklearn.metrics on the expanded label arrays.
  const counts = table([[10, 2, 0], [1, 8, 3], [0, 1, 9], [4, 0, 0]]);
  assertClose(nmi(counts), 0.5001946506227531);
  assertClose(ari(counts), 0.4130539863581546);
  assertClose(nmi(table([[3, 0], [0, 2], [1, 1]])), 0.5503898826176472);
  assertClose(ari(table([[3, 0], [0, 2], [1, 1]])), 0.38235294117647056);
});

Deno.test("ari() matches the pair-counting formula on hand-computed tables", () => {
  // Σ C(nij,2) = 4; clusters 3,3 → 6; labels 4,2 → 7; C(6,2) = 15.
  const expected = 42 / 15;
  assertClose(ari(table([[3, 0], [1, 2]])), (4 - expected) / ((6 + 7) / 2 - expected));
  // As many agreeing pairs as chance predicts.
  assert.equal(ari(table([[2, 0], [1, 1]])), 0);
});

Deno.test("nmi() and ari() score independent clusters and labels at or below zero", () => {
  const independent = table([[1, 1], [1, 1]]);
  assert.equal(nmi(independent), 0);
  assert.equal(ari(independent), -0.5);
});

Deno.test("metrics follow scikit-learn on single-cluster and single-label tables", () => {
  const one = table([[5]]);
  assert.equal(nmi(one), 1);
  assert.equal(ari(one), 1);
  assert.equal(purity(one), 1);
  assert.equal(accuracy(one), 1);
  // One cluster, two labels: nothing is explained.
  const lumped = table([[2, 3]]);
  assert.equal(nmi(lumped), 0);
  assert.equal(ari(lumped), 0);
  assert.equal(purity(lumped), 0.6);
  // Empty rows and columns do not change anything.
  assert.equal(nmi(table([[0, 0], [0, 5]])), 1);
  assert.equal(ari(table([[0, 0], [2, 3]])), 0);
});

Deno.test("nmi() and ari() agree with scikit-learn on a table larger than MNIST", () => {
  // 101,061 points: pair counts reach 10^10 and their products exceed 2^53.
  const counts = table([
    [5020, 764, 613, 323, 369, 49, 90, 19, 210, 975],
    [779, 1095, 604, 4727, 1164, 875, 758, 652, 671, 1122],
    [332, 979, 805, 3, 472, 1028, 4665, 40, 917, 875],
    [1015, 210, 107, 1035, 26, 649, 96, 359, 577, 4507],
    [483, 33, 4006, 149, 9, 804, 630, 776, 308, 738],
    [916, 460, 553, 1196, 965, 5177, 455, 822, 1140, 780],
    [1008, 826, 844, 466, 1050, 162, 694, 865, 5014, 630],
    [450, 4372, 507, 583, 862, 1067, 87, 1120, 637, 429],
    [807, 685, 305, 386, 4863, 713, 605, 405, 912, 469],
    [393, 1068, 316, 272, 857, 747, 58, 4100, 452, 999],
  ]);
  assertClose(nmi(counts), 0.22259482304970424);
  assertClose(ari(counts), 0.1654130882428059);
});

Deno.test("metrics refuse a table without labelled points; scoreClustering() gives nulls", () => {
  const unknown = contingencyTable(new Int32Array([0, 1]), new Int32Array([-1, -1]), 2, 10);
  for (const metric of [purity, weightedPurity, accuracy, nmi, ari]) {
    assert.throws(() => metric(unknown), { name: "RangeError", message: /no labelled points/ });
  }
  assert.deepEqual(scoreClustering(unknown), {
    purity: null,
    weightedPurity: null,
    accuracy: null,
    nmi: null,
    ari: null,
    k: 2,
    n: 0,
  });
});
