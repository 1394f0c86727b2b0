/**
 * Configuration keys are the schema's and nothing else: names every
 * JavaScript object has are unknown keys, and a key given twice is an error
 * in a file and on a sweep's axes (on the pipeline's `--set`, the last one
 * counts, as README says).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runScript } from "./_commands.ts";
import { withTempDir } from "./_temp.ts";
import { resolveConfig } from "../config/config.ts";
import { configSchema } from "../stages/dag.ts";

/** Runs `script args --artifacts DIR` and checks a clean exit 2 that left no store. */
async function assertUsageError(
  folder: string,
  script: string,
  args: string[],
  message: RegExp,
): Promise<void> {
  const artifacts = join(folder, "artifacts");
  const result = await runScript(script, [...args, "--artifacts", artifacts]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  assert.throws(() => Deno.statSync(artifacts), Deno.errors.NotFound, "no store was created");
}

Deno.test("names that every JavaScript object has are unknown configuration keys", async (t) => {
  await withTempDir(async (folder) => {
    const keys = [
      "cluster.constructor",
      "cluster.toString",
      "constructor",
      "__proto__.k",
      "hasOwnProperty",
    ];
    for (const key of keys) {
      await t.step(`--set ${key}=5`, () =>
        assertUsageError(
          folder,
          "pipeline.ts",
          ["--set", `${key}=5`, "--dry-run"],
          new RegExp(`Unknown configuration key '${key.replace(/[.$]/g, "\\$&")}'`),
        ));
    }
    await t.step("__proto__ inside a file's section", async () => {
      const file = join(folder, "proto.json");
      Deno.writeTextFileSync(file, '{"cluster": {"__proto__": {"k": 3}}}');
      await assertUsageError(
        folder,
        "pipeline.ts",
        ["--config", file, "--dry-run"],
        /Unknown configuration key 'cluster\.__proto__'/,
      );
    });
  });
});

Deno.test("a __proto__ key in a file does not change the configuration's other values", () => {
  const file = JSON.parse('{"cluster": {"__proto__": {"k": 3}}}');
  assert.throws(() => resolveConfig(configSchema, file), /Unknown configuration key/);
  assert.equal(({} as Record<string, unknown>).k, undefined, "Object.prototype is untouched");
});

Deno.test("a key given twice in a configuration file is an error naming it and its line", async (t) => {
  await withTempDir(async (folder) => {
    const cases: [string, RegExp][] = [
      [
        '{"cluster": {"k": 8,\n  "k": 12}}',
        /'cluster\.k' is given twice in .* \(again on line 2\)/,
      ],
      [
        '{"train": {"epochs": 1}, "cluster": {"k": 8}, "train": {"seed": 2}}',
        /'train' is given twice/,
      ],
      ['{"load": {"limit": 100, "lim\\u0069t": 200}}', /'load\.limit' is given twice/],
    ];
    for (const [index, [text, message]] of cases.entries()) {
      await t.step(text.replace(/\s+/g, " "), async () => {
        const file = join(folder, `twice-${index}.json`);
        Deno.writeTextFileSync(file, text);
        await assertUsageError(folder, "pipeline.ts", ["--config", file, "--dry-run"], message);
      });
    }
  });
});

Deno.test("the same name in different sections, or in strings, is not a duplicate", async () => {
  await withTempDir(async (folder) => {
    const file = join(folder, "fine.json");
    Deno.writeTextFileSync(
      file,
      '{"$comment": "k, k and \\"k\\"", "cluster": {"k": 8, "seed": 1}, "baseline": {"k": 8, "seed": 1}}',
    );
    const result = await runScript("pipeline.ts", [
      "--config",
      file,
      "--dry-run",
      "--artifacts",
      join(folder, "artifacts"),
    ]);
    assert.equal(result.code, 0, result.stderr);
  });
});

Deno.test("a sweep whose axes repeat a key or a value is an error before any point runs", async (t) => {
  await withTempDir(async (folder) => {
    const cases: [string[], RegExp][] = [
      [
        ["--set", "cluster.k=6,8", "--set", "cluster.k=10"],
        /--set cluster\.k=… is given twice.*cluster\.k=6,8,10/,
      ],
      [["--set", "cluster.k=6,8,6"], /gives the value '6' twice/],
      [["--set", "cluster.k=6,6.0"], /gives the value '6' and '6\.0' twice/],
      [
        ["--set", "train.encoderLayers=[64],[ 64 ]"],
        /gives the value '\[64\]' and '\[ 64 \]' twice/,
      ],
    ];
    for (const [args, message] of cases) {
      await t.step(
        args.join(" "),
        () => assertUsageError(folder, "commands/sweep.ts", args, message),
      );
    }
  });
});
