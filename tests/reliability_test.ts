/**
 * Faults on the real pipeline (tiny configuration): kills in every stage,
 * damaged objects and records, concurrent runs, a read-only or full disk.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TextLineStream } from "./_text_lines.ts";
import { runScript, runTinyPipeline, spawnPipeline, TINY_CONFIG } from "./_commands.ts";
import { moduleTemporaryFolder, temporaryFolder } from "./_temp.ts";

const stageOrder = [
  "load",
  "normalise",
  "train",
  "encode",
  "manifold",
  "cluster",
  "baseline",
  "evaluate",
  "render",
];

async function completedRun(artifacts: string, ...args: string[]) {
  const result = await runTinyPipeline(artifacts, ...args);
  assert.equal(result.code, 0, result.stderr);
  return { ...JSON.parse(result.stdout), stderr: result.stderr };
}

let reference: { metrics: unknown } | undefined;
async function referenceMetrics(): Promise<unknown> {
  if (reference === undefined) {
    reference = await completedRun(moduleTemporaryFolder("encluster-reference-"));
  }
  return reference!.metrics;
}

/** Starts a run and SIGKILLs it as soon as `stage` has started (the stage before it has finished). */
async function killDuring(artifacts: string, stage: string): Promise<string[]> {
  const child = spawnPipeline(["--config", TINY_CONFIG, "--artifacts", artifacts]);
  const finished: string[] = [];
  const previous = stageOrder[stageOrder.indexOf(stage) - 1];
  if (previous === undefined) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill("SIGKILL");
  } else {
    const lines = child.stderr.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    );
    for await (const line of lines) {
      const done = /^(\w+) +(ran|cached)/.exec(line);
      if (done) finished.push(done[1]!);
      if (done?.[1] === previous) {
        child.kill("SIGKILL");
        break;
      }
    }
  }
  await child.status;
  await child.stdout.cancel().catch(() => {});
  return finished;
}

Deno.test("a run killed with SIGKILL in any stage completes next time with the same results", async (t) => {
  const expected = await referenceMetrics();
  for (const stage of stageOrder) {
    await t.step(`killed during ${stage}`, async () => {
      using temporaryArtifacts = temporaryFolder(`encluster-kill-${stage}-`);
      const artifacts = temporaryArtifacts.path;
      const finished = await killDuring(artifacts, stage);
      const run = await completedRun(artifacts);
      for (const done of finished) {
        const record = run.stages.find((s: { name: string }) => s.name === done);
        assert.equal(record.status, "cached", `${done} finished before the kill, so it is cached`);
      }
      assert.deepEqual(run.metrics, expected);
      const verify = await runScript("commands/verify.ts", ["--artifacts", artifacts]);
      assert.equal(verify.code, 0, verify.stdout);
    });
  }
});

Deno.test("a flipped byte in a stored object is found, named and recomputed", async () => {
  const expected = await referenceMetrics();
  using temporaryArtifacts = temporaryFolder("encluster-flip-");
  const artifacts = temporaryArtifacts.path;
  await completedRun(artifacts);
  const { key } = JSON.parse(Deno.readTextFileSync(join(artifacts, "stages", "normalise", "last")));
  const record = JSON.parse(
    Deno.readTextFileSync(join(artifacts, "stages", "normalise", `${key}.json`)),
  );
  const digest: string = record.outputs.train.digest;
  const path = join(artifacts, "objects", digest);
  const bytes = Deno.readFileSync(path);
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x40;
  Deno.writeFileSync(path, bytes);

  const verify = await runScript("commands/verify.ts", ["--artifacts", artifacts]);
  assert.equal(verify.code, 1);
  assert.match(verify.stdout, new RegExp(`damaged object: ${digest}`));

  const repaired = await completedRun(artifacts, "--force", "encode");
  assert.match(
    repaired.stderr,
    new RegExp(`normalise\\.train: stored object ${digest} is damaged; recomputing it`),
  );
  assert.match(repaired.stderr, /normalise +re-ran — output train was damaged/);
  assert.deepEqual(repaired.metrics, expected);
  const after = await runScript("commands/verify.ts", ["--artifacts", artifacts]);
  assert.equal(after.code, 0, after.stdout);
});

Deno.test("damaged stage and run records are reported and skipped, never a crash", async () => {
  using temporaryArtifacts = temporaryFolder("encluster-records-");
  const artifacts = temporaryArtifacts.path;
  const run = await completedRun(artifacts);
  await completedRun(artifacts, "--set", "cluster.k=9");
  Deno.writeTextFileSync(join(artifacts, "runs", `${run.run}.json`), '{"id": "trunc');
  const clusterRecords = [...Deno.readDirSync(join(artifacts, "stages", "cluster"))].filter((e) =>
    e.name.endsWith(".json")
  );
  for (const entry of clusterRecords) {
    Deno.writeTextFileSync(join(artifacts, "stages", "cluster", entry.name), "[]");
  }

  const runs = await runScript("commands/runs.ts", ["--artifacts", artifacts]);
  assert.equal(runs.code, 0, runs.stderr);
  assert.match(runs.stderr, /damaged run record .*runs\/.*: skipped/);
  const diff = await runScript("commands/diff.ts", ["latest", "latest", "--artifacts", artifacts]);
  assert.equal(diff.code, 0, diff.stderr);
  const again = await completedRun(artifacts, "--set", "cluster.k=9");
  assert.match(again.stderr, /damaged stage record .* set aside as .*damaged\/stages\//);
  assert.equal(
    again.stages.find((stage: { name: string }) => stage.name === "cluster").status,
    "ran",
  );
  const verify = await runScript("commands/verify.ts", ["--artifacts", artifacts]);
  assert.equal(verify.code, 1);
  assert.match(verify.stdout, /damaged record: run record/);
});

Deno.test("two runs started at once on one artifacts folder both finish with the same results", async () => {
  const expected = await referenceMetrics();
  using temporaryArtifacts = temporaryFolder("encluster-concurrent-");
  const artifacts = temporaryArtifacts.path;
  const [a, b] = await Promise.all([runTinyPipeline(artifacts), runTinyPipeline(artifacts)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(JSON.parse(a.stdout).metrics, expected);
  assert.deepEqual(JSON.parse(b.stdout).metrics, expected);
  assert.match(a.stderr + b.stderr, /waiting for another run computing the same key/);
  const verify = await runScript("commands/verify.ts", ["--artifacts", artifacts]);
  assert.equal(verify.code, 0, verify.stdout);
});

async function mountTmpfs(folder: string, options: string): Promise<boolean> {
  const result = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", options, "tmpfs", folder],
    stderr: "null",
  })
    .output().catch(() => ({ success: false }));
  return result.success;
}

async function unmount(folder: string): Promise<void> {
  await new Deno.Command("umount", { args: [folder] }).output();
}

Deno.test("a read-only artifacts folder is a clear error (exit 2) that changes nothing", async (t) => {
  using temporary = temporaryFolder("encluster-ro-");
  const folder = temporary.path;
  if (!(await mountTmpfs(folder, "size=8m,ro"))) {
    console.log("skipped: cannot mount a tmpfs here (needs root)");
    t.step({ name: "mount", ignore: true, fn: () => {} });
    return;
  }
  try {
    const result = await runTinyPipeline(folder);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /Cannot use '.*' as the artifacts folder: .*Read-only file system.*Pass a writable folder/,
    );
    assert.deepEqual([...Deno.readDirSync(folder)], []);
  } finally {
    await unmount(folder);
  }
});

Deno.test("a full disk fails the run with a clear message and leaves a store that verifies", async (t) => {
  using temporary = temporaryFolder("encluster-full-");
  const folder = temporary.path;
  if (!(await mountTmpfs(folder, "size=3m"))) {
    console.log("skipped: cannot mount a tmpfs here (needs root)");
    t.step({ name: "mount", ignore: true, fn: () => {} });
    return;
  }
  try {
    // 600 normalised images need 1.9 MB each for train and test: the disk fills during normalise.
    const result = await runTinyPipeline(folder);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No space left on device/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    const verify = await runScript("commands/verify.ts", ["--artifacts", folder]);
    assert.equal(verify.code, 0, verify.stdout);
  } finally {
    await unmount(folder);
  }
});
