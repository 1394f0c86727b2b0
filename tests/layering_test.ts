import assert from "node:assert/strict";
import { layerViolations, projectModules } from "../commands/check_layers.ts";

const rules = (modules: Record<string, string>) =>
  layerViolations(new Map(Object.entries(modules))).map(({ module, imports, rule }) =>
    `${module} → ${imports}: ${rule.split(":")[0]}`
  );

/** A tiny project that keeps every rule: each test breaks one. */
const sound: Record<string, string> = {
  "engine/mod.ts": `export * from "./runner.ts";`,
  "engine/runner.ts": `import { sha } from "./_hash.ts";\nimport x from "npm:lib";`,
  "engine/_hash.ts": `export const sha = 1;`,
  "ml/mod.ts": `export * from "./kmeans.ts";`,
  "ml/kmeans.ts": `import { Stage } from "../engine/runner.ts";`,
  "stages/mod.ts": `export * from "./dag.ts";`,
  "stages/dag.ts": `import { kmeans } from "../ml/kmeans.ts";`,
  "tests/kmeans_test.ts": `import { sha } from "../engine/_hash.ts";`,
};

Deno.test("layerViolations() finds nothing wrong in the project itself", () => {
  const root = new URL("..", import.meta.url).pathname;
  assert.deepEqual(layerViolations(projectModules(root)), []);
});

Deno.test("layerViolations() accepts a project that keeps the rules", () => {
  assert.deepEqual(rules(sound), []);
});

Deno.test("layerViolations() reports an engine module that imports outside engine/", () => {
  assert.deepEqual(
    rules({ ...sound, "engine/runner.ts": `import type { Config } from "../ml/kmeans.ts";` }),
    [
      "engine/runner.ts → ml/kmeans.ts: the engine imports nothing from outside engine/",
      "engine/runner.ts → ml/kmeans.ts: no import cycles",
    ],
  );
});

Deno.test("layerViolations() reports a private module imported from another folder", () => {
  assert.deepEqual(
    rules({ ...sound, "ml/kmeans.ts": `import { sha } from "../engine/_hash.ts";` }),
    ["ml/kmeans.ts → engine/_hash.ts: a _ module is imported only from its own folder (engine/)"],
  );
});

Deno.test("layerViolations() reports a stage that imports a folder's mod.ts", () => {
  assert.deepEqual(
    rules({ ...sound, "stages/dag.ts": `import { kmeans } from "../ml/mod.ts";` }),
    [
      "stages/dag.ts → ml/mod.ts: a stage imports modules, not a folder's mod.ts, to keep its " +
      "cache key tight",
    ],
  );
});

Deno.test("layerViolations() reports a folder without a mod.ts, and an import cycle", () => {
  const { "ml/mod.ts": _face, ...rest } = sound;
  assert.deepEqual(
    rules({
      ...rest,
      "ml/kmeans.ts": `import { b } from "./b.ts";`,
      "ml/b.ts": `export { kmeans } from "./kmeans.ts";`,
    }),
    ["ml/ → : every folder has a mod.ts", "ml/b.ts → ml/kmeans.ts: no import cycles"],
  );
});

Deno.test("layerViolations() ignores imports written in comments and strings", () => {
  assert.deepEqual(
    rules({
      ...sound,
      "engine/runner.ts": `// import { k } from "../ml/kmeans.ts";\n` +
        `/** @example\n * import { k } from "../ml/kmeans.ts";\n */\n` +
        `const text = 'import { k } from "../ml/kmeans.ts"';`,
    }),
    [],
  );
});
