/**
 * Several pipelines on one store at once (same keys and different keys), one
 * of them SIGKILLed mid-training: the others finish with the results the
 * runs give one at a time, the store verifies clean, and the killed one's
 * re-run completes with its serial result.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TextLineStream } from "./_text_lines.ts";
import { runScript, runTinyPipeline, spawnPipeline, TINY_CONFIG } from "./_commands.ts";
import { temporaryFolder } from "./_temp.ts";

async function metricsOf(artifacts: string, ...args: string[]): Promise<unknown> {
  const result = await runTinyPipeline(artifacts, ...args);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).metrics;
}

Deno.test("runs on one store at once, one killed mid-training, end as the serial runs and leave it sound", async () => {
  using temporarySerial = temporaryFolder("encluster-serial-");
  const serial = temporarySerial.path;
  using temporaryShared = temporaryFolder("encluster-shared-");
  const shared = temporaryShared.path;
  try {
    const seed0 = await metricsOf(serial);
    const seed1 = await metricsOf(serial, "--set", "train.seed=1");

    // The victim needs the same keys as the first run; the other run needs other keys.
    const victim = spawnPipeline(["--config", TINY_CONFIG, "--artifacts", shared]);
    const same = runTinyPipeline(shared);
    const other = runTinyPipeline(shared, "--set", "train.seed=1");
    const lines = victim.stderr.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    );
    for await (const line of lines) {
      if (/train: epoch 1\//.test(line) || /^train +cached/.test(line)) {
        victim.kill("SIGKILL");
        break;
      }
    }
    await victim.status;
    await victim.stdout.cancel().catch(() => {});

    const [sameResult, otherResult] = await Promise.all([same, other]);
    assert.equal(sameResult.code, 0, sameResult.stderr);
    assert.equal(otherResult.code, 0, otherResult.stderr);
    assert.deepEqual(JSON.parse(sameResult.stdout).metrics, seed0);
    assert.deepEqual(JSON.parse(otherResult.stdout).metrics, seed1);

    const verify = await runScript("commands/verify.ts", ["--artifacts", shared]);
    assert.equal(verify.code, 0, verify.stdout);
    assert.deepEqual(await metricsOf(shared), seed0, "the killed run, run again");
    const again = await runScript("commands/verify.ts", ["--artifacts", shared]);
    assert.equal(again.code, 0, again.stdout);
  } finally {
    Deno.removeSync(serial, { recursive: true });
    Deno.removeSync(shared, { recursive: true });
  }
});

Deno.test("pipeline --replicates 2 runs two seeds as a group that diff compares with an interval", async () => {
  using temporaryArtifacts = temporaryFolder("encluster-replicates-");
  const artifacts = temporaryArtifacts.path;
  try {
    const a = await runTinyPipeline(artifacts, "--replicates", "2");
    assert.equal(a.code, 0, a.stderr);
    const group = JSON.parse(a.stdout);
    assert.match(group.run, /^g-/);
    assert.equal(group.replicates.length, 2);
    assert.equal(group.metrics.purity.n, 2);
    assert.equal(group.metrics.purity.values.length, 2);
    assert.match(a.stderr, /purity[\s\S]*\d\.\d{4} ± \d\.\d{4}/);
    // The group's page shows each metric's spread and links the replicates' reports.
    const page = Deno.readTextFileSync(join(artifacts, "reports", `${group.run}.html`));
    assert.match(page, /<th>mean<\/th><th>sd<\/th><th>min<\/th><th>max<\/th><th>n<\/th>/);
    assert.ok(page.includes(`${group.replicates[1]}.html`));
    assert.match(a.stderr, new RegExp(`report: .*${group.run}\\.html`));
    // Each replicate is a run record of its own, which says where it computed.
    const record = JSON.parse(
      Deno.readTextFileSync(join(artifacts, "runs", `${group.replicates[1]}.json`)),
    );
    assert.deepEqual(record.group, { id: group.run, index: 1, size: 2 });
    assert.equal(record.config.train.seed, 1);
    assert.equal(record.provenance.environments.train.backend, "wasm");
    assert.ok(
      record.provenance.libraries.some((name: string) => name.startsWith("@tensorflow/tfjs@")),
    );
    // Replicate 0 is the configuration itself: its metrics are the single run's.
    using temporarySingle = temporaryFolder("encluster-replicates-single-");
    const single = temporarySingle.path;
    try {
      const alone = await metricsOf(single) as { purity: number };
      assert.equal(group.metrics.purity.values[0], alone.purity);
    } finally {
      Deno.removeSync(single, { recursive: true });
    }

    const b = await runTinyPipeline(artifacts, "--replicates", "2", "--set", "cluster.k=8");
    assert.equal(b.code, 0, b.stderr);
    const diff = await runScript("commands/diff.ts", [
      "latest~1",
      "latest",
      "--artifacts",
      artifacts,
      "--json",
    ]);
    assert.equal(diff.code, 0, diff.stderr);
    const purity = JSON.parse(diff.stdout).metrics.find((metric: { name: string }) =>
      metric.name === "purity"
    );
    assert.deepEqual(purity.n, [2, 2]);
    assert.equal(purity.ci95.length, 2);
    assert.ok(purity.ci95[0] <= purity.delta && purity.delta <= purity.ci95[1]);
    assert.equal(typeof purity.beyondNoise, "boolean");
    const text = await runScript("commands/diff.ts", [
      "latest~1",
      "latest",
      "--artifacts",
      artifacts,
    ]);
    assert.match(text.stdout, /95% interval/);
    assert.match(text.stdout, /(within|beyond) seed noise/);
    const runs = await runScript("commands/runs.ts", ["--artifacts", artifacts]);
    assert.match(runs.stdout, /g-\S+ ×2/);
  } finally {
    Deno.removeSync(artifacts, { recursive: true });
  }
});
