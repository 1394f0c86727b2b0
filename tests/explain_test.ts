import assert from "node:assert/strict";
import { describeReason, differences } from "../engine/explain.ts";
import type { Fingerprint } from "../engine/fingerprint.ts";

const base: Fingerprint = {
  stage: "cluster",
  config: { cluster: { k: 10, init: "random" } },
  inputs: { "encode.train": "a1", "encode.test": "b1" },
  code: { "stages/cluster.ts": "c1", "core/kmeans.ts": "d1" },
  external: {},
  libraries: { "@tensorflow/tfjs": "npm:@tensorflow/tfjs@4.21.0" },
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
    code: { ...base.code, "core/kmeans.ts": "d2" },
    inputs: { "encode.train": "a2", "encode.test": "b2" },
  };
  assert.equal(
    describeReason(differences(base, now)),
    "core/kmeans.ts changed; inputs changed: encode (2 outputs)",
  );
});

Deno.test("differences() names a library whose version moved, old → new", () => {
  const now = { ...base, libraries: { "@tensorflow/tfjs": "npm:@tensorflow/tfjs@4.22.0" } };
  assert.equal(
    describeReason(differences(base, now)),
    "@tensorflow/tfjs npm:@tensorflow/tfjs@4.21.0 → npm:@tensorflow/tfjs@4.22.0",
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

Deno.test("differences() names a user's data file that changed on disk", () => {
  const before = { ...base, external: { "/data/train.idx": "47040016 bytes, modified 1000" } };
  const after = { ...base, external: { "/data/train.idx": "47040016 bytes, modified 2000" } };
  assert.equal(describeReason(differences(before, after)), "data file /data/train.idx changed");
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
