import assert from "node:assert/strict";
import { join } from "node:path";
import { sha256 } from "../engine/key/sha256.ts";
import { Store } from "../engine/store/store.ts";
import {
  clearExecutions,
  createFixtureProject,
  executions,
  sourceStarted,
} from "./fixtures/fixture_project.ts";
import { runFixture } from "./fixtures/run_fixture.ts";
import { moduleTemporaryFolder } from "./_temp.ts";

function statuses(run: Awaited<ReturnType<typeof runFixture>>): Record<string, string> {
  return Object.fromEntries(run.record.stages.map((stage) => [stage.name, stage.status]));
}

function tempArtifacts(): string {
  return moduleTemporaryFolder("encluster-artifacts-");
}

Deno.test("PipelineRun serves every stage from the cache on a second identical run", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  const first = await runFixture(project, artifacts);
  assert.deepEqual(statuses(first), { source: "ran", parity: "ran", report: "ran", square: "ran" });
  assert.ok(first.record.stages.every((stage) => stage.reason === "never run before"));
  clearExecutions(project);
  const second = await runFixture(project, artifacts);
  assert.deepEqual(executions(project), []);
  assert.deepEqual(statuses(second), {
    source: "cached",
    parity: "cached",
    report: "cached",
    square: "cached",
  });
  // Stages are reported as they become ready: square needs only source, report needs parity.
  assert.deepEqual(second.lines, [
    "source  cached",
    "parity  cached",
    "square  cached",
    "report  cached",
  ]);
  assert.deepEqual(second.record.metrics, { parity: "even" });
});

Deno.test("PipelineRun leaves no working folders behind once its stages finish", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  await runFixture(project, artifacts);
  const folders = [...Deno.readDirSync(artifacts)].map((entry) => entry.name).sort();
  assert.ok(!folders.includes("scratch"), `artifacts holds ${folders.join(", ")}`);
});

Deno.test("PipelineRun re-runs exactly the changed stage and its dependents, naming old → new", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  await runFixture(project, artifacts);
  clearExecutions(project);
  const run = await runFixture(project, artifacts, ["square.factor=3"]);
  assert.deepEqual(executions(project), ["square"]);
  const square = run.record.stages.find((stage) => stage.name === "square")!;
  assert.equal(square.reason, "square.factor changed 2 → 3");
  assert.deepEqual(square.differences, [{ kind: "config", key: "square.factor", old: 2, new: 3 }]);
  assert.match(
    run.lines.join("\n"),
    /^square {2}ran — square\.factor changed 2 → 3 {2}\(\d+\.\d s\)$/m,
  );

  // Going back explains against the last record: 3 → 2, in that order, and is a cache hit.
  clearExecutions(project);
  const back = await runFixture(project, artifacts, ["square.factor=2"]);
  assert.deepEqual(executions(project), []);
  assert.equal(statuses(back).square, "cached");
  const again = await runFixture(project, artifacts, ["square.factor=5"]);
  assert.equal(
    again.record.stages.find((stage) => stage.name === "square")!.reason,
    "square.factor changed 2 → 5",
  );
});

Deno.test("PipelineRun re-runs a stage whose source file was edited, and its dependents", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  await runFixture(project, artifacts);
  clearExecutions(project);
  const file = join(project, "stages/parity.ts");
  Deno.writeTextFileSync(
    file,
    Deno.readTextFileSync(file).replace('"even" : "odd"', '"EVEN" : "ODD"'),
  );
  const run = await runFixture(project, artifacts);
  assert.deepEqual(executions(project), ["parity", "report"]);
  const parity = run.record.stages.find((stage) => stage.name === "parity")!;
  assert.equal(parity.reason, "stages/parity.ts changed");
  const report = run.record.stages.find((stage) => stage.name === "report")!;
  assert.equal(report.reason, "input parity.parity changed");
  assert.deepEqual(run.record.metrics, { parity: "EVEN" });
});

Deno.test("PipelineRun keeps dependents cached when an upstream re-runs with identical bytes", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  await runFixture(project, artifacts, ["source.n=2"]);
  clearExecutions(project);
  // n=4 changes source and square, but parity is still "even": report stays cached.
  const run = await runFixture(project, artifacts, ["source.n=4"]);
  // parity and square both follow source and may run side by side, in either order.
  assert.deepEqual(executions(project).sort(), ["parity", "source", "square"]);
  assert.equal(statuses(run).report, "cached");
});

Deno.test("PipelineRun re-runs a forced stage, and dependents only if its output changed", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  await runFixture(project, artifacts);
  clearExecutions(project);
  const run = await runFixture(project, artifacts, [], new Set(["source"]));
  assert.deepEqual(executions(project), ["source"]);
  assert.equal(run.record.stages[0]!.reason, "forced");
});

Deno.test("PipelineRun recomputes an object that was damaged in the store instead of using it", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  const first = await runFixture(project, artifacts);
  const store = new Store(artifacts);
  const values = store.readStageRecord("source", first.record.stages[0]!.key)!.outputs.values!;
  const path = store.objectPath(values.digest);
  const bytes = Deno.readFileSync(path);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  Deno.writeFileSync(path, bytes);
  clearExecutions(project);
  // parity must read source.values: the damage is found, source re-runs, parity runs.
  const run = await runFixture(project, artifacts, [], new Set(["parity"]));
  assert.deepEqual(executions(project), ["source", "parity"]);
  assert.match(
    run.lines.join("\n"),
    new RegExp(`source\\.values: stored object ${values.digest} is damaged`),
  );
  assert.equal(sha256(Deno.readFileSync(path)), values.digest);
  assert.deepEqual(run.record.metrics, { parity: "even" });
});

Deno.test("PipelineRun re-runs a cached stage whose output object was deleted", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  const first = await runFixture(project, artifacts);
  const store = new Store(artifacts);
  const squared = store.readStageRecord("square", first.record.stages[3]!.key)!.outputs.squared!;
  Deno.removeSync(store.objectPath(squared.digest));
  clearExecutions(project);
  const run = await runFixture(project, artifacts);
  assert.deepEqual(executions(project), ["square"]);
  assert.equal(run.record.stages[3]!.reason, "output squared missing from the store");
});

Deno.test("a pipeline killed with SIGKILL mid-stage leaves a store the next run uses correctly", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  // 32 M floats: a 128 MB object, so some kills land while it is being written.
  const sets = ["--set", "source.size=32000000", "--set", "source.delayMs=50"];
  const script = new URL("./fixtures/run_fixture.ts", import.meta.url).pathname;
  for (const delay of [0, 150, 400]) {
    try {
      Deno.removeSync(join(project, "started"));
    } catch { /* first round */ }
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", script, project, artifacts, ...sets],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await sourceStarted(project);
    await new Promise((resolve) => setTimeout(resolve, delay));
    child.kill("SIGKILL");
    await child.status;
    const store = new Store(artifacts);
    for (const digest of store.listObjects()) {
      assert.equal(
        sha256(Deno.readFileSync(store.objectPath(digest))),
        digest,
        `object ${digest} is whole`,
      );
    }
  }
  const run = await runFixture(project, artifacts, sets.filter((_, i) => i % 2 === 1));
  assert.deepEqual(run.record.metrics, { parity: "even" });
  const again = await runFixture(project, artifacts, sets.filter((_, i) => i % 2 === 1));
  assert.ok(again.record.stages.every((stage) => stage.status === "cached"));
});

Deno.test("two runs on one artifacts folder at once both finish, computing each stage once between them", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  const script = new URL("./fixtures/run_fixture.ts", import.meta.url).pathname;
  const start = () =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        script,
        project,
        artifacts,
        "--set",
        "source.delayMs=300",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const [first, second] = await Promise.all([start(), start()]);
  assert.equal(first.code, 0);
  assert.equal(second.code, 0);
  const reports = [first, second].map((output) =>
    JSON.parse(new TextDecoder().decode(output.stdout))
  );
  const ranStages = reports.map((stages) =>
    stages.filter((s: { status: string }) => s.status === "ran").length
  );
  // Each key is computed by whichever run takes its lock first; the other serves it cached.
  assert.equal(ranStages[0]! + ranStages[1]!, 4);
  const waited = [first, second].map((output) => new TextDecoder().decode(output.stderr));
  assert.ok(waited.some((text) => text.includes("waiting for another run computing the same key")));
  assert.deepEqual(executions(project).sort(), ["parity", "report", "source", "square"]);
  const store = new Store(artifacts);
  for (const digest of store.listObjects()) {
    assert.equal(sha256(Deno.readFileSync(store.objectPath(digest))), digest);
  }
});
