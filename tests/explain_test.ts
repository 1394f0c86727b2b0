import assert from "node:assert/strict";
import { describeReason, differences } from "../engine/key/explain.ts";
import type { Fingerprint } from "../engine/key/fingerprint.ts";

const base: Fingerprint = {
  stage: "cluster",
  config: { cluster: { k: 10, init: "random" } },
  inputs: { "encode.train": "a1", "encode.test": "b1" },
  code: { "stages/cluster.ts": "c1", "ml/kmeans/kmeans.ts": "d1" },
  data: {},
  libraries: { "@tensorflow/tfjs@4.21.0": "sha512-aaa", "seedrandom@3.0.5": "sha512-sss" },
  environment: { backend: "wasm" },
  engine: 1,
};

Deno.test("differences() says 'never run before' when there is no earlier record", () => {
  assert.equal(describeReason(differences(undefined, base)), "never run before");
});

Deno.test("differences() names a configuration key with its old value first", () => {
  const now = { ...base, config: { cluster: { k: 12, init: "random" } } };
  assert.equal(describeReason(differences(base, now)), "cluster.k changed 10 → 12");
  assert.equal(describeReason(differences(now, base)), "cluster.k changed 12 → 10");
});

Deno.test("differences() quotes no string values and shows lists as JSON", () => {
  const now = { ...base, config: { cluster: { k: 10, init: "kmeans++", layers: [784, 64] } } };
  assert.equal(
    describeReason(differences(base, now)),
    "cluster.init changed random → kmeans++; cluster.layers added ([784,64])",
  );
});

Deno.test("differences() names the edited code file and the changed inputs", () => {
  const now = {
    ...base,
    code: { ...base.code, "ml/kmeans/kmeans.ts": "d2" },
    inputs: { "encode.train": "a2", "encode.test": "b2" },
  };
  assert.equal(
    describeReason(differences(base, now)),
    "ml/kmeans/kmeans.ts changed; inputs changed: encode (2 outputs)",
  );
});

Deno.test("differences() names a library whose version moved, old → new", () => {
  const now = {
    ...base,
    libraries: { "@tensorflow/tfjs@4.22.0": "sha512-bbb", "seedrandom@3.0.5": "sha512-sss" },
  };
  assert.equal(describeReason(differences(base, now)), "@tensorflow/tfjs 4.21.0 → 4.22.0");
});

Deno.test("differences() names a dependency whose content changed under the same version", () => {
  const now = {
    ...base,
    libraries: { "@tensorflow/tfjs@4.21.0": "sha512-aaa", "seedrandom@3.0.5": "sha512-ttt" },
  };
  assert.equal(
    describeReason(differences(base, now)),
    "seedrandom 3.0.5 content sha512-sss → sha512-ttt",
  );
});

Deno.test("differences() names the backend that computes, old → new", () => {
  const now = { ...base, environment: { backend: "tensorflow", threads: "2" } };
  assert.equal(
    describeReason(differences(base, now)),
    "backend wasm → tensorflow; threads (none) → 2",
  );
});

Deno.test("describeReason() shows three reasons and counts the rest", () => {
  const now = {
    ...base,
    config: { cluster: { k: 11, init: "kmeans++", nInit: 3, tol: 0.1 } },
  };
  assert.equal(
    describeReason(differences(base, now)),
    "cluster.k changed 10 → 11; cluster.init changed random → kmeans++; cluster.nInit added (3); and 1 more",
  );
});

Deno.test("differences() names a user's data file whose content changed", () => {
  const before = { ...base, data: { "/data/train-images.idx": "e3b0c442" } };
  const after = { ...base, data: { "/data/train-images.idx": "5feceb66" } };
  assert.equal(
    describeReason(differences(before, after)),
    "/data/train-images.idx content changed",
  );
  const added = { ...before, data: { ...before.data, "/data/more.idx": "aa" } };
  assert.equal(describeReason(differences(before, added)), "data file /data/more.idx added");
});

Deno.test("describeReason() groups changed inputs by the stage that produced them", () => {
  const now = {
    ...base,
    inputs: { "cluster.centroids": "x", "cluster.summary": "y", "evaluate.metrics": "z" },
  };
  const before = {
    ...base,
    inputs: { "cluster.centroids": "x0", "cluster.summary": "y0", "evaluate.metrics": "z0" },
  };
  assert.equal(
    describeReason(differences(before, now)),
    "inputs changed: cluster (2 outputs), evaluate.metrics",
  );
});
