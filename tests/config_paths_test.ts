/**
 * Relative data paths mean the same wherever the command is typed: a file's
 * start at the file's folder, a `--set`'s at the user's folder.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runScript } from "./_commands.ts";
import { withTempDir } from "./_temp.ts";

/** `pipeline --dry-run --json` from `cwd`; the configuration it resolved. */
async function resolved(cwd: string, args: string[]): Promise<{ load: Record<string, unknown> }> {
  const result = await runScript("pipeline.ts", [...args, "--dry-run", "--json"], {
    INIT_CWD: cwd,
  });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).config;
}

Deno.test("a relative data path in a configuration file starts at the file's folder", async () => {
  await withTempDir(async (folder) => {
    const project = join(folder, "study");
    Deno.mkdirSync(join(project, "data", "cats"), { recursive: true });
    Deno.writeFileSync(join(project, "data", "cats", "a.png"), await tinyPng());
    Deno.writeFileSync(join(project, "data", "cats", "b.png"), await tinyPng());
    Deno.writeTextFileSync(
      join(project, "study.json"),
      JSON.stringify({
        load: { dataset: "folder", folder: "data", size: 4 },
        cluster: { k: 1 },
        baseline: { k: 1 },
      }),
    );
    const artifacts = ["--artifacts", join(folder, "artifacts")];
    const fromProject = await resolved(project, ["--config", "study.json", ...artifacts]);
    const fromElsewhere = await resolved(folder, ["--config", "study/study.json", ...artifacts]);
    assert.equal(fromProject.load.folder, join(project, "data"));
    assert.equal(fromElsewhere.load.folder, join(project, "data"));
  });
});

Deno.test("a relative data path in --set starts at the folder the user is in", async () => {
  await withTempDir(async (folder) => {
    Deno.mkdirSync(join(folder, "images", "dogs"), { recursive: true });
    Deno.writeFileSync(join(folder, "images", "dogs", "a.png"), await tinyPng());
    const config = await resolved(folder, [
      "--set",
      "load.dataset=folder",
      "--set",
      "load.folder=images",
      "--set",
      "load.size=4",
      "--set",
      "cluster.k=1",
      "--set",
      "baseline.k=1",
      "--artifacts",
      join(folder, "artifacts"),
    ]);
    assert.equal(config.load.folder, join(folder, "images"));
  });
});

async function tinyPng(): Promise<Uint8Array> {
  const sharp = (await import("sharp")).default;
  return new Uint8Array(
    await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 9, g: 9, b: 9 } } })
      .png().toBuffer(),
  );
}
