import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultConfig } from "../config/config.ts";
import { configSchema } from "../stages/dag.ts";
import { type LoadConfig, loadStage } from "../stages/load.ts";
import { temporaryFolder } from "./_temp.ts";

function loadConfig(overrides: Partial<LoadConfig>): { load: LoadConfig } {
  const defaults = defaultConfig(configSchema).load as LoadConfig;
  return { load: { ...defaults, ...overrides } };
}

Deno.test("loadStage.dataFiles() lists the user's IDX files, and names a missing one", async () => {
  using temporary = temporaryFolder();
  const folder = temporary.path;
  const images = join(folder, "train-images.idx");
  Deno.writeFileSync(images, new Uint8Array(100));
  assert.deepEqual(
    await loadStage.dataFiles!(loadConfig({ dataset: "idx", trainImages: images })),
    [images],
  );
  await assert.rejects(
    () =>
      loadStage.dataFiles!(
        loadConfig({ dataset: "idx", trainImages: images, testImages: join(folder, "nope") }),
      ),
    /'load\.testImages' names .*nope, which does not exist/,
  );
});

Deno.test("loadStage.dataFiles() lists a folder's images as reading does, through linked label folders", async () => {
  using temporary = temporaryFolder();
  const folder = temporary.path;
  using temporaryElsewhere = temporaryFolder();
  const elsewhere = temporaryElsewhere.path;
  Deno.mkdirSync(join(folder, "cat"));
  Deno.writeFileSync(join(folder, "cat", "a.png"), new Uint8Array(10));
  Deno.writeFileSync(join(elsewhere, "b.png"), new Uint8Array(10));
  Deno.symlinkSync(elsewhere, join(folder, "dog"));
  const files = await loadStage.dataFiles!(loadConfig({ dataset: "folder", folder }));
  assert.deepEqual(files, [join(folder, "cat", "a.png"), join(folder, "dog", "b.png")]);
});

Deno.test("loadStage.dataFiles() is empty for MNIST, which its package in deno.lock pins", async () => {
  assert.deepEqual(await loadStage.dataFiles!(loadConfig({})), []);
});
