/**
 * The cache keys cannot be fooled: each test is one way a stale result could
 * be served (code edited mid-run, code loaded by URL or worker, libraries'
 * dependencies, the backend that really ran, data rewritten in place,
 * settings that do not change outputs, shared objects between stages, store
 * writes), run against small projects and the real stages.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ContentDigests } from "../engine/key/data_digest.ts";
import { projectCode } from "../engine/key/project_code.ts";
import { lockStore } from "../engine/store/lock.ts";
import { collectGarbage } from "../engine/store/collect_garbage.ts";
import { Store } from "../engine/store/store.ts";
import { sha256 } from "../engine/key/sha256.ts";
import { isFile } from "../engine/is_file.ts";
import { StageInputs } from "../engine/stage.ts";
import { trainSection, trainStage } from "../stages/train.ts";
import { testContext } from "./_context.ts";
import { mnistSample } from "./_mnist_sample.ts";
import { runScript } from "./_commands.ts";
import {
  clearExecutions,
  createFixtureProject,
  executions,
  sourceStarted,
} from "./fixtures/fixture_project.ts";
import { runFixture, runProject } from "./fixtures/run_fixture.ts";
import { moduleTemporaryFolder, temporaryFolder } from "./_temp.ts";

const projectRoot = new URL("..", import.meta.url).pathname;

/** A temporary project of stage files (`stages/<name>.ts` → source text). */
function writeProject(files: Record<string, string>, imports: Record<string, string> = {}) {
  const root = moduleTemporaryFolder("encluster-keys-");
  Deno.writeTextFileSync(join(root, "deno.json"), JSON.stringify({ imports }));
  for (const [path, text] of Object.entries(files)) {
    Deno.mkdirSync(join(root, path, ".."), { recursive: true });
    Deno.writeTextFileSync(join(root, path), text);
  }
  return root;
}

function stageRecordCount(artifacts: string, stage: string): number {
  try {
    return [...Deno.readDirSync(join(artifacts, "stages", stage))].filter((entry) =>
      entry.name.endsWith(".json")
    ).length;
  } catch {
    return 0;
  }
}

Deno.test("a stage whose file is edited while the run computes is not recorded, and the next run re-runs it", async () => {
  const project = createFixtureProject();
  using temporaryArtifacts = temporaryFolder("encluster-keys-");
  const artifacts = temporaryArtifacts.path;
  const parity = join(project, "stages/parity.ts");
  // source pauses, so the edit lands after the run started and before parity runs.
  const running = runFixture(project, artifacts, ["source.delayMs=600"]);
  await sourceStarted(project);
  Deno.writeTextFileSync(
    parity,
    Deno.readTextFileSync(parity).replace('"even" : "odd"', '"EVEN" : "ODD"'),
  );
  const edited = await running;
  assert.match(
    edited.lines.join("\n"),
    /parity: not cached — stages\/parity\.ts changed while it ran/,
  );
  assert.equal(stageRecordCount(artifacts, "parity"), 0, "no record under either digest");

  clearExecutions(project);
  const next = await runFixture(project, artifacts, ["source.delayMs=600"]);
  // parity computes again; report was keyed by parity's output, which comes out the same.
  assert.deepEqual(executions(project), ["parity"]);
  const outcome = next.record.stages.find((stage) => stage.name === "parity")!;
  assert.equal(outcome.status, "ran");
  assert.equal(outcome.reason, "stages/parity.ts changed");
  assert.deepEqual(next.record.metrics, { parity: "EVEN" });
  Deno.removeSync(project, { recursive: true });
});

/**
 * A project of one stage, `read`, that outputs the text of the data file
 * `read.path` (running `extraLines` after reading it), and a runner of it into
 * `artifacts`.
 */
function dataFileProject(artifacts: string, extraLines = "") {
  const root = writeProject({
    "stages/read.ts": `
export const stage = {
  name: "read", needs: [], reads: ["read"], source: import.meta.url,
  dataFiles: ({ read }) => Promise.resolve([read.path]),
  async run(_inputs, { config }) {
    const text = Deno.readTextFileSync(config.read.path);${extraLines}
    return { text: { text } };
  },
};`,
  });
  const data = join(root, "data.txt");
  const run = (sets: string[] = []) =>
    runProject({
      project: root,
      artifacts,
      files: ["stages/read.ts"],
      schema: { read: { path: { type: "string", default: data, doc: "the file" } } },
      metrics: { stage: "read", output: "text" },
      sets,
    });
  return { root, data, run };
}

Deno.test("CodeSnapshot follows imports, dynamic imports, workers and URL files, and skips comments, strings and types", () => {
  const root = writeProject({
    "stages/main.ts": `
import { b } from "./b.ts";
import type { T } from "./types.ts";
// import { ghost } from "./ghost.ts";
/**
 * @example
 * import { x } from "./example_only.ts";
 */
const lazy = () => import("./lazy.ts");
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const table = new URL("./table.bin", import.meta.url);
const text = 'import "./in_string.ts"';
`,
    "stages/b.ts": "export const b = 1;",
    "stages/types.ts": "export type T = number;",
    "stages/lazy.ts": "export const lazy = 1;",
    "stages/worker.ts": `import { help } from "./worker_helper.ts";`,
    "stages/worker_helper.ts": "export const help = 1;",
    "stages/table.bin": "\u0001\u0002",
  });
  const digest = projectCode(root).of(`file://${root}/stages/main.ts`);
  assert.deepEqual(Object.keys(digest.files).sort(), [
    "stages/b.ts",
    "stages/lazy.ts",
    "stages/main.ts",
    "stages/table.bin",
    "stages/worker.ts",
    "stages/worker_helper.ts",
  ]);
  Deno.writeTextFileSync(join(root, "stages/worker_helper.ts"), "export const help = 2;");
  const edited = projectCode(root).of(`file://${root}/stages/main.ts`);
  assert.notEqual(edited.files["stages/worker_helper.ts"], digest.files["stages/worker_helper.ts"]);
  Deno.removeSync(root, { recursive: true });
});

Deno.test("CodeSnapshot follows import-map aliases of project files and absolute paths", () => {
  const root = writeProject(
    {
      "stages/main.ts": `
import { helper } from "helper";
import { a } from "@lib/a.ts";
import { b } from "${"ROOT"}/shared/b.ts";
`,
      "vendor/helper.ts": `import { deep } from "@lib/deep.ts";`,
      "lib/a.ts": "export const a = 1;",
      "lib/deep.ts": "export const deep = 1;",
      "shared/b.ts": "export const b = 1;",
    },
    { helper: "./vendor/helper.ts", "@lib/": "./lib/" },
  );
  const main = join(root, "stages/main.ts");
  Deno.writeTextFileSync(main, Deno.readTextFileSync(main).replace("ROOT", root));
  const digest = projectCode(root).of(`file://${main}`);
  assert.deepEqual(Object.keys(digest.files).sort(), [
    "lib/a.ts",
    "lib/deep.ts",
    "shared/b.ts",
    "stages/main.ts",
    "vendor/helper.ts",
  ]);
  assert.deepEqual(digest.libraries, {}, "project files are not taken for libraries");
  Deno.writeTextFileSync(join(root, "lib/deep.ts"), "export const deep = 2;");
  const edited = projectCode(root).of(`file://${main}`);
  assert.notEqual(edited.files["lib/deep.ts"], digest.files["lib/deep.ts"]);
  Deno.removeSync(root, { recursive: true });
});

Deno.test("CodeSnapshot keys a subpath import and its dependencies by deno.lock, so a lock change re-runs only their stages", () => {
  const lock = JSON.parse(Deno.readTextFileSync(join(projectRoot, "deno.lock")));
  const imports = JSON.parse(Deno.readTextFileSync(join(projectRoot, "deno.json"))).imports;
  const root = writeProject({
    "stages/umap.ts": `const { UMAP } = await import("umap-js/dist/umap.js");`,
    "stages/png.ts": `const sharp = await import("sharp");`,
  }, imports);
  Deno.writeTextFileSync(join(root, "deno.lock"), JSON.stringify(lock));
  const umap = projectCode(root).of(`file://${root}/stages/umap.ts`).libraries;
  const png = projectCode(root).of(`file://${root}/stages/png.ts`).libraries;
  assert.match(umap["umap-js@1.4.0"]!, /^sha512-/);
  const matrix = Object.keys(umap).find((key) => key.startsWith("ml-matrix@"));
  assert.ok(matrix !== undefined, `umap-js's dependencies are keyed: ${Object.keys(umap)}`);

  // A dependency's entry in the lock changes: umap's libraries move, sharp's do not.
  lock.npm[matrix].integrity = "sha512-changed";
  Deno.writeTextFileSync(join(root, "deno.lock"), JSON.stringify(lock));
  const umapAfter = projectCode(root).of(`file://${root}/stages/umap.ts`).libraries;
  const pngAfter = projectCode(root).of(`file://${root}/stages/png.ts`).libraries;
  assert.notDeepEqual(umapAfter, umap);
  assert.deepEqual(pngAfter, png);
  Deno.removeSync(root, { recursive: true });
});

Deno.test("the train stage's key holds the backend that computes, not 'auto'", async () => {
  const environment = await trainStage.environment!({
    train: {} as never,
    backend: "auto",
  });
  assert.equal(environment.backend, "wasm");
  assert.ok(!("auto" in environment));
});

Deno.test("a data file is keyed by content: touched it stays cached, rewritten with its old time it re-runs", async () => {
  using temporaryArtifacts = temporaryFolder("encluster-keys-");
  const { root, data, run } = dataFileProject(temporaryArtifacts.path);
  Deno.writeTextFileSync(data, "aaaa");
  const old = new Date(Date.now() - 60_000);
  Deno.utimeSync(data, old, old);
  assert.deepEqual((await run()).record.metrics, { text: "aaaa" });

  const touched = new Date(Date.now() - 30_000);
  Deno.utimeSync(data, touched, touched);
  assert.equal((await run()).record.stages[0]!.status, "cached");

  Deno.writeTextFileSync(data, "bbbb"); // same size,
  Deno.utimeSync(data, touched, touched); // same modification time
  const rewritten = await run();
  assert.equal(rewritten.record.stages[0]!.reason, `${data} content changed`);
  assert.deepEqual(rewritten.record.metrics, { text: "bbbb" });
  Deno.removeSync(root, { recursive: true });
});

Deno.test("a data file edited while its stage reads it is not recorded, and the next run reads it again", async () => {
  using temporaryArtifacts = temporaryFolder("encluster-keys-");
  const artifacts = temporaryArtifacts.path;
  const { root, data, run } = dataFileProject(
    artifacts,
    `
    Deno.writeTextFileSync(config.read.path + ".started", "");
    await new Promise((resolve) => setTimeout(resolve, 800));`,
  );
  Deno.writeTextFileSync(data, "aaaa");
  const running = run();
  while (!isFile(`${data}.started`)) await new Promise((resolve) => setTimeout(resolve, 20));
  Deno.writeTextFileSync(data, "bbbb");
  const edited = await running;
  assert.match(edited.lines.join("\n"), /read: not cached — .*data\.txt changed while it ran/);
  assert.equal(stageRecordCount(artifacts, "read"), 0, "aaaa is not stored as bbbb's result");

  const next = await run();
  assert.equal(next.record.stages[0]!.status, "ran");
  assert.deepEqual(next.record.metrics, { text: "bbbb" });
  assert.equal(stageRecordCount(artifacts, "read"), 1);
  Deno.removeSync(root, { recursive: true });
});

Deno.test("ContentDigests re-hashes a file whose change time moved even when size and mtime match", () => {
  using temporary = temporaryFolder("encluster-keys-");
  const folder = temporary.path;
  const file = join(folder, "x.bin");
  Deno.writeFileSync(file, new Uint8Array([1, 2, 3]));
  const past = new Date(Date.now() - 60_000);
  Deno.utimeSync(file, past, past);
  const digests = new ContentDigests(join(folder, "digests.json"));
  assert.equal(digests.digest(file), sha256(new Uint8Array([1, 2, 3])));
  Deno.writeFileSync(file, new Uint8Array([9, 9, 9]));
  Deno.utimeSync(file, past, past);
  assert.equal(digests.digest(file), sha256(new Uint8Array([9, 9, 9])));
});

Deno.test("a setting marked as not changing outputs is left out of the key: changing it re-runs nothing", async () => {
  const root = writeProject({
    "stages/count.ts": `
export const stage = {
  name: "count", needs: [], reads: ["count"], source: import.meta.url,
  unkeyed: ["count.logEvery"],
  async run(_inputs, { config }) {
    return { total: { total: config.count.n * 2 } };
  },
};`,
  });
  using temporaryArtifacts = temporaryFolder("encluster-keys-");
  const artifacts = temporaryArtifacts.path;
  const run = (sets: string[]) =>
    runProject({
      project: root,
      artifacts,
      files: ["stages/count.ts"],
      schema: {
        count: {
          n: { type: "integer", default: 2, doc: "n" },
          logEvery: { type: "integer", default: 1, doc: "log", affectsOutputs: false },
        },
      },
      metrics: { stage: "count", output: "total" },
      sets,
    });
  await run([]);
  assert.equal((await run(["count.logEvery=5"])).record.stages[0]!.status, "cached");
  assert.equal((await run(["count.n=3"])).record.stages[0]!.status, "ran");
  assert.deepEqual(trainStage.unkeyed, ["train.checkpointEvery"]);
  Deno.removeSync(root, { recursive: true });
});

Deno.test("each stage receives its inputs as decoded from the stored bytes, never another stage's object", async () => {
  const root = writeProject({
    "stages/a.ts": `
export const stage = {
  name: "a", needs: [], reads: [], source: import.meta.url,
  async run() {
    return {
      values: { dtype: "float32", shape: [3], data: new Float32Array([1, 2, 3]) },
      info: { x: NaN, y: undefined, z: -0 },
    };
  },
};`,
    "stages/b.ts": `
export const stage = {
  name: "b", needs: ["a"], reads: [], source: import.meta.url,
  async run(inputs) {
    const values = inputs.tensor("a", "values", "float32");
    values.data.fill(99); // a stage that writes into its input
    return { done: { done: true } };
  },
};`,
    "stages/c.ts": `
export const stage = {
  name: "c", needs: ["a", "b"], reads: [], source: import.meta.url,
  async run(inputs) {
    return {
      seen: { values: [...inputs.tensor("a", "values", "float32").data], info: inputs.json("a", "info") },
    };
  },
};`,
  });
  using temporaryArtifacts = temporaryFolder("encluster-keys-");
  const artifacts = temporaryArtifacts.path;
  const run = (force?: ReadonlySet<string>) =>
    runProject({
      project: root,
      artifacts,
      files: ["stages/a.ts", "stages/b.ts", "stages/c.ts"],
      schema: {},
      metrics: { stage: "c", output: "seen" },
      force,
    });
  const fresh = await run();
  assert.deepEqual(fresh.record.metrics, { values: [1, 2, 3], info: { x: null, z: 0 } });
  const cached = await run(new Set(["c"]));
  assert.equal(cached.record.stages.find((stage) => stage.name === "a")!.status, "cached");
  assert.deepEqual(cached.record.metrics, fresh.record.metrics);
  Deno.removeSync(root, { recursive: true });
});

Deno.test("Store.putObject() replaces a damaged copy of the object instead of keeping it", () => {
  using temporaryRoot = temporaryFolder("encluster-keys-");
  const root = temporaryRoot.path;
  const store = new Store(root);
  store.ensureLayout();
  const bytes = new TextEncoder().encode("the same output, twice");
  const { digest } = store.putObject(bytes);
  const damaged = store.readObject(digest).slice();
  damaged[0] = damaged[0]! ^ 1;
  Deno.writeFileSync(store.objectPath(digest), damaged);
  store.putObject(bytes);
  assert.equal(sha256(Deno.readFileSync(store.objectPath(digest))), digest);
  store.close();
});

Deno.test("collectGarbage() removes the checkpoints and temporary files that killed runs leave", async () => {
  const project = createFixtureProject();
  using temporaryArtifacts = temporaryFolder("encluster-keys-");
  const artifacts = temporaryArtifacts.path;
  await runFixture(project, artifacts);
  Deno.mkdirSync(join(artifacts, "scratch", "train", "abc"), { recursive: true });
  Deno.writeTextFileSync(join(artifacts, "scratch", "train", "abc", "checkpoint"), "x");
  Deno.mkdirSync(join(artifacts, "tmp", "4242-deadbeef"), { recursive: true });
  Deno.writeTextFileSync(join(artifacts, "tmp", "4242-deadbeef", "half-written"), "x");
  const store = new Store(artifacts);
  const report = collectGarbage(store, false);
  assert.ok(report.leftovers.includes("scratch"), JSON.stringify(report.leftovers));
  assert.ok(report.leftovers.includes("tmp/4242-deadbeef"));
  assert.deepEqual([...Deno.readDirSync(join(artifacts, "tmp"))], []);
  assert.throws(() => Deno.statSync(join(artifacts, "scratch")));
  store.close();
  Deno.removeSync(project, { recursive: true });
});

Deno.test("verify waits while garbage collection holds the store, so objects are not pulled from under it", async () => {
  const project = createFixtureProject();
  using temporaryArtifacts = temporaryFolder("encluster-keys-");
  const artifacts = temporaryArtifacts.path;
  await runFixture(project, artifacts);
  const release = await lockStore(artifacts, "exclusive", () => {});
  const started = performance.now();
  const verifying = runScript("commands/verify.ts", ["--artifacts", artifacts]);
  await new Promise((resolve) => setTimeout(resolve, 800));
  release();
  const result = await verifying;
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stderr, /waiting for the garbage collection/);
  assert.ok(performance.now() - started >= 800);
  Deno.removeSync(project, { recursive: true });
});

Deno.test("train.checkpointEvery changes no bit of the trained model, which is why it is not in the key", async () => {
  const rows = await mnistSample(300);
  const defaults = Object.fromEntries(
    Object.entries(trainSection).map(([key, field]) => [key, structuredClone(field.default)]),
  );
  const digests = [];
  for (const checkpointEvery of [0, 1, 2]) {
    const train = {
      ...defaults,
      encoderLayers: [32, 8],
      epochs: 3,
      batchSize: 50,
      shards: 1,
      checkpointEvery,
    };
    const context = testContext({ train, backend: "wasm" as const });
    const outputs = await trainStage.run(
      new StageInputs({ normalise: { train: rows, test: rows } }),
      context as never,
    );
    digests.push(sha256(outputs.weights as Uint8Array));
    Deno.removeSync(context.scratchDir, { recursive: true });
  }
  assert.equal(new Set(digests).size, 1, digests.join(" "));
});

Deno.test("an output whose stored bytes do not decode as its kind is recomputed like a damaged object", async () => {
  const project = createFixtureProject();
  using temporaryArtifacts = temporaryFolder("encluster-keys-");
  const artifacts = temporaryArtifacts.path;
  try {
    const first = await runFixture(project, artifacts);
    const store = new Store(artifacts);
    const key = first.record.stages.find((stage) => stage.name === "source")!.key;
    const record = store.readStageRecord("source", key)!;
    // A well-formed object (its name is its digest) that is not a tensor file; parity and
    // square (whose key now differs) both read it, and wait for one repair.
    const { digest, size } = store.putObject(new TextEncoder().encode("not a tensor"));
    store.writeStageRecord({
      ...record,
      outputs: { ...record.outputs, values: { kind: "tensor", digest, size } },
    });
    store.close();
    clearExecutions(project);
    const run = await runFixture(project, artifacts, [], new Set(["parity"]));
    assert.deepEqual(executions(project).filter((stage) => stage === "source"), ["source"]);
    assert.match(run.lines.join("\n"), /source\.values: stored object \w+ is damaged/);
    assert.deepEqual(run.record.metrics, { parity: "even" });
  } finally {
    Deno.removeSync(project, { recursive: true });
    Deno.removeSync(artifacts, { recursive: true });
  }
});
