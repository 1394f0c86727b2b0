import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveConfig } from "../config/config.ts";
import { flattenConfig } from "../engine/key/flatten_config.ts";
import { ConfigError } from "../config/config_error.ts";
import { Random } from "../ml/random.ts";
import { configSchema } from "../stages/dag.ts";
import { runScript } from "./_commands.ts";
import { moduleTemporaryFolder } from "./_temp.ts";

const validKeys = [...flattenConfig(resolveConfig(configSchema, {})).keys()];
const oddValues = [
  "0",
  "-1",
  "1e309",
  "NaN",
  "2.5",
  "true",
  "null",
  '""',
  "[]",
  "[1,-2]",
  "{}",
  '{"a":1}',
  "kmeans++",
  "\u0000",
  "ü",
  "999999999999",
  "[784, 64]",
  '"mnist"',
  "mnist",
];

function randomSet(random: Random): string {
  const pick = <T>(items: readonly T[]) => items[random.int(items.length)]!;
  const key = random.next() < 0.7 ? pick(validKeys) : pick(validKeys) + pick(["x", "", ".y", "s"]);
  const shapes = [
    () => `${key}=${pick(oddValues)}`,
    () => `${key}`,
    () => `=${pick(oddValues)}`,
    () => `${key}==${pick(oddValues)}`,
    () => `${pick(["", ".", "..", " "])}${key}=${pick(oddValues)}`,
    () => `${key}=${String.fromCharCode(...Array.from({ length: 4 }, () => 32 + random.int(90)))}`,
  ];
  return pick(shapes)();
}

Deno.test("resolveConfig() ends every fuzzed --set in a valid configuration or a ConfigError", () => {
  const random = new Random(20261127);
  let valid = 0;
  let rejected = 0;
  for (let i = 0; i < 3000; i++) {
    const sets = Array.from({ length: 1 + random.int(3) }, () => randomSet(random));
    try {
      const config = resolveConfig(configSchema, {}, sets);
      assert.deepEqual(
        resolveConfig(configSchema, config),
        config,
        "a resolved config resolves to itself",
      );
      valid++;
    } catch (error) {
      assert.ok(error instanceof ConfigError, `--set ${sets.join(" --set ")} threw ${error}`);
      assert.ok(error.message.length < 1000);
      rejected++;
    }
  }
  assert.ok(
    valid > 20 && rejected > 100,
    `both outcomes occur: ${valid} valid, ${rejected} rejected`,
  );
});

Deno.test("resolveConfig() ends every fuzzed configuration file in a valid configuration or a ConfigError", () => {
  const random = new Random(7);
  const pickValue = (): unknown => {
    const values: unknown[] = [0, -3, 1.5, "x", true, null, [], {}, [1, 2], { k: 2 }, "mnist", 28];
    return values[random.int(values.length)];
  };
  for (let i = 0; i < 3000; i++) {
    const file: Record<string, unknown> = {};
    for (let j = random.int(4); j > 0; j--) {
      const key = validKeys[random.int(validKeys.length)]!;
      const [section, field] = key.split(".");
      if (field === undefined || random.next() < 0.1) file[section!] = pickValue();
      else {
        file[section!] = { ...(file[section!] as object ?? {}), [field]: pickValue() };
      }
    }
    try {
      resolveConfig(configSchema, random.next() < 0.05 ? pickValue() : file);
    } catch (error) {
      assert.ok(error instanceof ConfigError, `${JSON.stringify(file)} threw ${error}`);
    }
  }
});

Deno.test("pipeline answers fuzzed command lines with exit code 0 (dry run) or 2, never a stack trace", async () => {
  const random = new Random(99);
  const artifacts = join(moduleTemporaryFolder(), "artifacts");
  const flags = [
    "--set",
    "--force",
    "--config",
    "--artifacts",
    "--bogus",
    "--json",
    "-x",
    "--dry-run",
  ];
  for (let i = 0; i < 12; i++) {
    const args = ["--dry-run", "--artifacts", artifacts];
    for (let j = 1 + random.int(3); j > 0; j--) {
      const flag = flags[random.int(flags.length)]!;
      args.push(flag);
      if (flag === "--set") args.push(randomSet(random));
      if (flag === "--force") args.push(["load", "all", "lod", ""][random.int(4)]!);
      if (flag === "--config") {
        args.push(["/nonexistent.json", "configs/seed.json", "README.md"][random.int(3)]!);
      }
      if (flag === "--artifacts") args.push(artifacts);
    }
    const output = await runScript("pipeline.ts", args);
    const stderr = output.stderr;
    assert.ok(
      output.code === 0 || output.code === 2,
      `${args.join(" ")} → exit ${output.code}: ${stderr}`,
    );
    assert.doesNotMatch(stderr, /\n\s+at /, `no stack trace for ${args.join(" ")}`);
  }
});
