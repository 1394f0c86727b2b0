import assert from "node:assert/strict";
import { join } from "node:path";
import { collectGarbage } from "../engine/store/collect_garbage.ts";
import { findRun } from "../experiments/find_run.ts";
import { metricChanges, parameterChanges } from "../experiments/compare_runs.ts";
import { Store } from "../engine/store/store.ts";
import { isHealthy, verifyStore } from "../engine/store/verify_store.ts";
import { createFixtureProject } from "./fixtures/fixture_project.ts";
import { fixtureSchema } from "./fixtures/fixture_project.ts";
import { runFixture } from "./fixtures/run_fixture.ts";
import { moduleTemporaryFolder, temporaryFolder } from "./_temp.ts";

function tempArtifacts(): string {
  return moduleTemporaryFolder("encluster-artifacts-");
}

Deno.test("collectGarbage() removes what no run references and keeps the latest run's cache", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  const old = await runFixture(project, artifacts, ["source.n=7", "source.size=1000"]);
  await runFixture(project, artifacts, ["source.n=2"]);
  const store = new Store(artifacts);
  Deno.removeSync(join(artifacts, "runs", `${old.record.id}.json`));
  const before = store.listObjects().length;

  const preview = collectGarbage(store, true);
  assert.deepEqual(
    preview.stageRecords.sort(),
    [
      `parity/${old.record.stages[1]!.key}`,
      `report/${old.record.stages[2]!.key}`,
      `source/${old.record.stages[0]!.key}`,
      `square/${old.record.stages[3]!.key}`,
    ].sort(),
  );
  assert.equal(store.listObjects().length, before, "a dry run removes nothing");

  const report = collectGarbage(store, false);
  // n=7's objects go: two 1000-element tensors, parity "odd", and report's text and metrics.
  assert.equal(report.objects.length, 5);
  assert.ok(report.bytes > 8000);
  assert.equal(store.listObjects().length, before - 5);
  assert.ok(isHealthy(verifyStore(store)));

  const again = await runFixture(project, artifacts, ["source.n=2"]);
  assert.ok(again.record.stages.every((stage) => stage.status === "cached"));
  const removed = await runFixture(project, artifacts, ["source.n=7", "source.size=1000"]);
  assert.equal(removed.record.stages[0]!.status, "ran");
});

Deno.test("verifyStore() finds a flipped byte, a missing object and a damaged record", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  const run = await runFixture(project, artifacts);
  const store = new Store(artifacts);
  assert.ok(isHealthy(verifyStore(store)));

  const source = store.readStageRecord("source", run.record.stages[0]!.key)!;
  const values = source.outputs.values!;
  const bytes = Deno.readFileSync(store.objectPath(values.digest));
  bytes[0] = bytes[0]! ^ 1;
  Deno.writeFileSync(store.objectPath(values.digest), bytes);
  const squared = store.readStageRecord("square", run.record.stages[3]!.key)!.outputs.squared!;
  Deno.removeSync(store.objectPath(squared.digest));
  Deno.writeTextFileSync(
    join(artifacts, "stages", "report", `${run.record.stages[2]!.key}.json`),
    '{"stage": "rep',
  );

  const report = verifyStore(store);
  assert.ok(!isHealthy(report));
  assert.deepEqual(report.damagedObjects, [values.digest]);
  assert.deepEqual(report.missingObjects, [`square.squared (${squared.digest})`]);
  assert.equal(report.damagedRecords.length, 1);
  assert.match(report.damagedRecords[0]!, /stage record .*stages\/report\//);
  assert.deepEqual(report.danglingReferences, [
    `${run.record.id} → report/${run.record.stages[2]!.key}`,
  ]);

  // The next run repairs all three: a stage reading the damaged object recomputes it.
  const repaired = await runFixture(project, artifacts, [], new Set(["parity"]));
  assert.deepEqual(repaired.record.metrics, { parity: "even" });
  assert.ok(isHealthy(verifyStore(store)), JSON.stringify(verifyStore(store)));
});

Deno.test("findRun() resolves latest, latest~N, id prefixes, and says how to name runs", async () => {
  const project = createFixtureProject();
  const artifacts = tempArtifacts();
  const first = await runFixture(project, artifacts, ["square.factor=2"]);
  const second = await runFixture(project, artifacts, ["square.factor=3"]);
  const runs = new Store(artifacts).listRuns();
  assert.equal(findRun("latest", runs, fixtureSchema).id, second.record.id);
  assert.equal(findRun("latest~1", runs, fixtureSchema).id, first.record.id);
  assert.equal(findRun(first.record.id, runs, fixtureSchema).id, first.record.id);
  assert.throws(
    () => findRun("latest~2", runs, fixtureSchema),
    /goes back further than the 2 runs/,
  );
  assert.throws(
    () => findRun("nonsense", runs, fixtureSchema),
    /Unknown run 'nonsense': name a run by its id .*'latest', 'latest~N'.*a configuration file/,
  );
  const file = join(project, "factor3.json");
  Deno.writeTextFileSync(file, JSON.stringify({ square: { factor: 3 } }));
  assert.equal(findRun(file, runs, fixtureSchema).id, second.record.id);

  assert.deepEqual(parameterChanges(first.record.config, second.record.config), [
    { key: "square.factor", old: 2, new: 3 },
  ]);
});

Deno.test("metricChanges() pairs every numeric metric, nested ones by dotted name, with b − a", () => {
  const changes = metricChanges(
    [{ purity: 0.5, k: 10, test: { purity: 0.4 } }],
    [{ purity: 0.75, k: 12, test: { purity: 0.5 }, baseline: { purity: 0.6 } }],
  );
  assert.deepEqual(changes, [
    { name: "purity", a: 0.5, b: 0.75, delta: 0.25 },
    { name: "k", a: 10, b: 12, delta: 2 },
    { name: "test.purity", a: 0.4, b: 0.5, delta: 0.09999999999999998 },
    { name: "baseline.purity", a: null, b: 0.6, delta: null },
  ]);
});

Deno.test("a damaged run record is set aside, and collectGarbage() keeps what it named", async () => {
  using temporary = temporaryFolder("encluster-damaged-run-");
  const artifacts = temporary.path;
  const project = createFixtureProject();
  const old = await runFixture(project, artifacts, ["source.n=7"]);
  await runFixture(project, artifacts, ["source.n=2"]);
  const path = join(artifacts, "runs", `${old.record.id}.json`);
  // An edit a JSON parser accepts: the record reads, but its digest no longer matches.
  Deno.writeTextFileSync(path, Deno.readTextFileSync(path).replace('"n": 7', '"n": 8'));
  const warnings: string[] = [];
  const store = new Store(artifacts);
  store.warn = (line) => warnings.push(line);

  const report = collectGarbage(store, false);
  assert.equal(store.listRuns().length, 1, "the damaged run is not listed");
  assert.ok(warnings.some((line) => line.includes(`damaged run record ${path}`)), warnings.join());
  assert.equal(report.stageRecords.length, 0, "nothing the damaged run named is collected");
  const again = await runFixture(project, artifacts, ["source.n=7"]);
  assert.ok(again.record.stages.every((stage) => stage.status === "cached"));
  Deno.removeSync(project, { recursive: true });
});
