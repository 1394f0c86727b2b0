import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultConfig } from "../config/config.ts";
import { configSchema } from "../stages/dag.ts";
import { type LoadConfig, loadStage } from "../stages/load.ts";

function loadConfig(overrides: Partial<LoadConfig>): { load: LoadConfig } {
  const defaults = defaultConfig(configSchema).load as LoadConfig;
  return { load: { ...defaults, ...overrides } };
}

Deno.test("loadStage.external() changes when the user's IDX file is rewritten under the same path", () => {
  const folder = Deno.makeTempDirSync();
  const images = join(folder, "train-images.idx");
  Deno.writeFileSync(images, new Uint8Array(100));
  const config = loadConfig({ dataset: "idx", trainImages: images });
  const before = loadStage.external!(config);
  Deno.writeFileSync(images, new Uint8Array(120));
  const after = loadStage.external!(config);
  assert.deepEqual(Object.keys(before), [images]);
  assert.notEqual(before[images], after[images]);
});

Deno.test("loadStage.external() changes when a file is added to the image folder", () => {
  const folder = Deno.makeTempDirSync();
  Deno.mkdirSync(join(folder, "cat"));
  Deno.writeFileSync(join(folder, "cat", "a.png"), new Uint8Array(10));
  const config = loadConfig({ dataset: "folder", folder });
  const before = loadStage.external!(config)[folder];
  Deno.writeFileSync(join(folder, "cat", "b.png"), new Uint8Array(10));
  const after = loadStage.external!(config)[folder];
  assert.match(before!, /^1 files, /);
  assert.match(after!, /^2 files, /);
});

Deno.test("loadStage.external() is empty for MNIST, which the package version pins", () => {
  assert.deepEqual(loadStage.external!(loadConfig({})), {});
});
