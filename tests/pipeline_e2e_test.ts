/**
 * The daily loop end to end, on the real pipeline with a tiny configuration:
 * run, change k, diff, list runs, sweep, export, gc.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readNpy } from "../data/npy.ts";
import { runScript, runTinyPipeline, TINY_CONFIG } from "./_commands.ts";
import { temporaryFolder } from "./_temp.ts";

interface StageReport {
  name: string;
  status: "ran" | "cached";
  reason: string;
}

function statusOf(stages: StageReport[]): Record<string, string> {
  return Object.fromEntries(stages.map((stage) => [stage.name, stage.status]));
}

async function pipeline(artifacts: string, ...args: string[]) {
  const result = await runTinyPipeline(artifacts, ...args);
  assert.equal(result.code, 0, result.stderr);
  return { ...JSON.parse(result.stdout), stderr: result.stderr };
}

Deno.test("the daily loop: run, cached re-run, change k, diff, runs, export, gc", async (t) => {
  using temporaryArtifacts = temporaryFolder("encluster-e2e-");
  const artifacts = temporaryArtifacts.path;

  const first = await t.step("a first run runs every stage and reports metrics", async () => {
    const run = await pipeline(artifacts);
    assert.ok(run.stages.every((stage: StageReport) => stage.status === "ran"));
    assert.equal(run.metrics.k, 10);
    assert.equal(run.metrics.n, 600);
    for (const set of [run.metrics, run.metrics.test, run.metrics.baseline]) {
      for (const name of ["purity", "weightedPurity", "accuracy", "nmi", "ari"]) {
        assert.ok(set[name] >= -1 && set[name] <= 1, `${name} is a score`);
      }
    }
    assert.match(run.stderr, /report: .*reports\/.*\.html/);
  });
  assert.ok(first);

  await t.step("the same run again is served entirely from the cache", async () => {
    const run = await pipeline(artifacts);
    assert.ok(
      run.stages.every((stage: StageReport) => stage.status === "cached"),
      JSON.stringify(run.stages),
    );
  });

  await t.step("cluster.k=12 re-runs only cluster, evaluate and render, and says why", async () => {
    const run = await pipeline(artifacts, "--set", "cluster.k=12");
    assert.deepEqual(statusOf(run.stages), {
      load: "cached",
      normalise: "cached",
      train: "cached",
      encode: "cached",
      manifold: "cached",
      cluster: "ran",
      baseline: "cached",
      evaluate: "ran",
      render: "ran",
    });
    const cluster = run.stages.find((stage: StageReport) => stage.name === "cluster");
    assert.equal(cluster.reason, "cluster.k changed 10 → 12");
    assert.match(run.stderr, /^cluster +ran — cluster\.k changed 10 → 12 +\(\d+\.\d s\)$/m);
    assert.equal(run.metrics.k, 12);
    assert.equal(run.metrics.baseline.k, 10);
  });

  await t.step("diff shows exactly the changed parameter and every metric's delta", async () => {
    const result = await runScript("commands/diff.ts", [
      "latest~1",
      "latest",
      "--json",
      "--artifacts",
      artifacts,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const diff = JSON.parse(result.stdout);
    assert.deepEqual(diff.parameters, [{ key: "cluster.k", old: 10, new: 12 }]);
    const k = diff.metrics.find((metric: { name: string }) => metric.name === "k");
    assert.deepEqual(k, { name: "k", a: 10, b: 12, delta: 2 });
    const purity = diff.metrics.find((metric: { name: string }) => metric.name === "test.purity");
    assert.equal(purity.delta, purity.b - purity.a);
    const baseline = diff.metrics.find((metric: { name: string }) =>
      metric.name === "baseline.purity"
    );
    assert.equal(baseline.delta, 0);

    const text = await runScript("commands/diff.ts", [
      "latest~1",
      "latest",
      "--artifacts",
      artifacts,
    ]);
    assert.match(text.stdout, /cluster\.k +10 +→ +12/);
    const unknown = await runScript("commands/diff.ts", [
      "latest",
      "nope",
      "--artifacts",
      artifacts,
    ]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown run 'nope': name a run by its id/);
  });

  await t.step("runs lists the runs newest first with their changed settings", async () => {
    const result = await runScript("commands/runs.ts", ["--json", "--artifacts", artifacts]);
    assert.equal(result.code, 0, result.stderr);
    const { runs } = JSON.parse(result.stdout);
    assert.equal(runs.length, 3);
    const ids = runs.map((run: { id: string }) => run.id);
    assert.deepEqual(ids, [...ids].sort().reverse());
    assert.ok(
      runs[0].changes.some((change: { key: string; value: unknown }) =>
        change.key === "cluster.k" && change.value === 12
      ),
    );
    assert.equal(runs[0].ran, 3);
    assert.equal(runs[1].ran, 0);
  });

  await t.step(
    "--export writes .npy files, metrics.json, figures and report.html",
    async () => {
      using exported = temporaryFolder("encluster-e2e-export-");
      const folder = exported.path;
      await pipeline(artifacts, "--set", "cluster.k=12", "--export", folder);
      const encoding = await readNpy(join(folder, "encoding.npy"));
      assert.equal(encoding.dtype, "float32");
      assert.deepEqual(encoding.shape, [600, 3]);
      assert.deepEqual((await readNpy(join(folder, "labels.npy"))).shape, [600]);
      const assignments = await readNpy(join(folder, "assignments.npy"));
      assert.equal(assignments.dtype, "int32");
      assert.ok(Math.max(...assignments.data) <= 11);
      assert.deepEqual((await readNpy(join(folder, "centroids.npy"))).shape, [12, 3]);
      const metrics = JSON.parse(Deno.readTextFileSync(join(folder, "metrics.json")));
      assert.equal(metrics.k, 12);
      for (
        const figure of [
          "scatter",
          "centroids",
          "baselineCentroids",
          "contingency",
          "reconstructions",
          "loss",
        ]
      ) {
        assert.ok(Deno.statSync(join(folder, `${figure}.png`)).size > 1000, figure);
      }
      assert.match(Deno.readTextFileSync(join(folder, "report.html")), /<table/);
    },
  );

  await t.step("gc keeps what runs reference: the next run is still cached", async () => {
    const result = await runScript("commands/gc.ts", ["--artifacts", artifacts]);
    assert.equal(result.code, 0, result.stderr);
    const verify = await runScript("commands/verify.ts", ["--artifacts", artifacts]);
    assert.equal(verify.code, 0, verify.stdout);
    const run = await pipeline(artifacts);
    assert.ok(run.stages.every((stage: StageReport) => stage.status === "cached"));
  });
});

Deno.test("a sweep over three values of k trains once and clusters three times", async () => {
  using temporaryArtifacts = temporaryFolder("encluster-sweep-");
  const artifacts = temporaryArtifacts.path;
  const result = await runScript("commands/sweep.ts", [
    "--config",
    TINY_CONFIG,
    "--set",
    "cluster.k=6,8,10",
    "--artifacts",
    artifacts,
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const { points } = JSON.parse(result.stdout);
  assert.deepEqual(points.map((point: { params: Record<string, number> }) => point.params), [
    { "cluster.k": 6 },
    { "cluster.k": 8 },
    { "cluster.k": 10 },
  ]);
  assert.deepEqual(points.map((point: { metrics: { k: number } }) => point.metrics.k), [6, 8, 10]);
  const records = (stage: string) =>
    [...Deno.readDirSync(join(artifacts, "stages", stage))].filter((e) => e.name.endsWith(".json"))
      .length;
  assert.equal(records("train"), 1);
  assert.equal(records("cluster"), 3);
  assert.equal(records("baseline"), 1);
  const trainRuns = points.map((point: { stages: StageReport[] }) => statusOf(point.stages).train);
  // The points run side by side: whichever takes train's key first trains, the others wait.
  assert.deepEqual([...trainRuns].sort(), ["cached", "cached", "ran"]);
  const sweeps = [...Deno.readDirSync(join(artifacts, "sweeps"))].filter((e) => e.isDirectory);
  const figures = [...Deno.readDirSync(join(artifacts, "sweeps", sweeps[0]!.name))].map((e) =>
    e.name
  ).sort();
  assert.deepEqual(figures, [
    "accuracy.png",
    "ari.png",
    "nmi.png",
    "purity.png",
    "weightedPurity.png",
  ]);
  assert.match(result.stderr, /cluster\.k +purity/);
});

Deno.test("with UMAP and a Gaussian mixture, changing manifold.minDist re-runs manifold and what follows", async () => {
  using temporaryArtifacts = temporaryFolder("encluster-manifold-");
  const artifacts = temporaryArtifacts.path;
  const settings = [
    "--set",
    "manifold.method=umap",
    "--set",
    "cluster.method=gmm",
    "--set",
    "manifold.nEpochs=50",
  ];
  const first = await pipeline(artifacts, ...settings);
  assert.equal(first.metrics.k, 10);
  const run = await pipeline(artifacts, ...settings, "--set", "manifold.minDist=0.1");
  assert.deepEqual(statusOf(run.stages), {
    load: "cached",
    normalise: "cached",
    train: "cached",
    encode: "cached",
    manifold: "ran",
    cluster: "ran",
    baseline: "cached",
    evaluate: "ran",
    render: "ran",
  });
  assert.equal(
    run.stages.find((stage: StageReport) => stage.name === "manifold").reason,
    "manifold.minDist changed 0 → 0.1",
  );
});
