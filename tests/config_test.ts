import assert from "node:assert/strict";
import { defaultConfig, parseSet, resolveConfig } from "../config/config.ts";
import { ConfigError } from "../config/config_error.ts";
import { loadConfig } from "../config/config_file.ts";
import { configSchema } from "../stages/dag.ts";
import type { ConfigSchema } from "../config/schema.ts";

const schema = {
  cluster: {
    k: { type: "integer", default: 10, min: 1, doc: "clusters" },
    init: { type: "enum", values: ["random", "kmeans++"], default: "random", doc: "seeding" },
    nInit: { type: "integer", default: 10, min: 1, doc: "restarts" },
    tol: { type: "number", default: 1e-4, min: 0, doc: "tolerance" },
  },
  train: {
    encoderLayers: { type: "integers", default: [784, 64, 32], min: 1, doc: "layers" },
    shuffle: { type: "boolean", default: true, doc: "shuffle" },
    limit: { type: "integer", default: null, nullable: true, min: 1, doc: "limit" },
  },
  backend: { type: "enum", values: ["auto", "wasm", "cpu"], default: "auto", doc: "backend" },
} as const satisfies ConfigSchema;

function rejects(file: unknown, sets: string[], message: RegExp): void {
  assert.throws(() => resolveConfig(schema, file, sets, "'seed.json'"), (error: unknown) => {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${error}`);
    assert.match(error.message, message);
    return true;
  });
}

Deno.test("resolveConfig() applies defaults, then the file, then --set in order", () => {
  const config = resolveConfig(schema, { cluster: { k: 8 } }, ["cluster.k=12", "backend=wasm"]);
  assert.deepEqual(config, {
    ...defaultConfig(schema),
    cluster: { k: 12, init: "random", nInit: 10, tol: 1e-4 },
    backend: "wasm",
  });
});

Deno.test("resolveConfig() parses --set values as JSON where they can be", () => {
  const config = resolveConfig(schema, {}, [
    "train.encoderLayers=[500, 500]",
    "train.shuffle=false",
    "train.limit=null",
  ]);
  assert.deepEqual(config.train, { encoderLayers: [500, 500], shuffle: false, limit: null });
});

Deno.test("resolveConfig() names an unknown key and the nearest valid one", () => {
  rejects(
    { cluster: { nInti: 3 } },
    [],
    /Unknown configuration key 'cluster\.nInti' in 'seed\.json': did you mean 'cluster\.nInit'\?/,
  );
  rejects(
    {},
    ["clustr.k=3"],
    /Unknown configuration key 'clustr\.k' in --set clustr\.k=3: did you mean 'cluster\.k'\?/,
  );
  rejects(
    {},
    ["cluster.zzzzzz=1"],
    /valid keys: cluster\.k, cluster\.init, cluster\.nInit, cluster\.tol/,
  );
});

Deno.test("resolveConfig() names the key, the value and what is allowed for a wrong value", () => {
  rejects(
    {},
    ["cluster.k=0"],
    /'cluster\.k' must be an integer ≥ 1 in --set cluster\.k=0: current value is 0/,
  );
  rejects({}, ["cluster.k=2.5"], /'cluster\.k' must be an integer ≥ 1 .*current value is 2\.5/);
  rejects({}, ["cluster.k=ten"], /'cluster\.k' must be an integer ≥ 1 .*current value is "ten"/);
  rejects(
    {},
    ["cluster.init=kmeans+"],
    /'cluster\.init' must be one of 'random', 'kmeans\+\+' \(did you mean 'kmeans\+\+'\?\)/,
  );
  rejects(
    {},
    ["train.encoderLayers=[784, -1]"],
    /'train\.encoderLayers' must be a non-empty list of integers ≥ 1/,
  );
  rejects({}, ["train.shuffle=1"], /'train\.shuffle' must be true or false/);
  rejects(
    { train: 3 },
    [],
    /'train' must be an object of settings in 'seed\.json': current value is 3/,
  );
  rejects([1], [], /must hold a JSON object of sections, got \[1\]/);
});

Deno.test("parseSet() rejects a --set without '='", () => {
  assert.throws(
    () => parseSet("cluster.k"),
    /--set expects KEY=VALUE, for example --set cluster\.k=12: got 'cluster\.k'/,
  );
});

Deno.test("every configuration shipped in configs/ is valid against the pipeline's schema", () => {
  const folder = new URL("../configs/", import.meta.url);
  const names = [...Deno.readDirSync(folder)].map((entry) => entry.name).filter((name) =>
    name.endsWith(".json")
  );
  assert.ok(names.includes("seed.json") && names.includes("n2d.json"), names.join(", "));
  for (const name of names) {
    const path = new URL(name, folder).pathname;
    assert.doesNotThrow(() => loadConfig(configSchema, path, []), `configs/${name}`);
  }
});
