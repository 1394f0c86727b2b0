/**
 * `--executor slurm` against a real single-node Slurm cluster (`.ci/slurm-up`
 * starts one): a 2×2 sweep gives the records and metrics of the local one,
 * and a job cancelled with `scancel` mid-training is resubmitted and resumes
 * from its checkpoint. Without a cluster each test says why it is skipped.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { slurmAvailability } from "../slurm/slurm_available.ts";
import { runScript, runTinyPipeline, TINY_CONFIG } from "./_commands.ts";
import { temporaryFolder } from "./_temp.ts";

const slurm = await slurmAvailability();

function slurmTest(name: string, fn: () => Promise<void>) {
  if (!slurm.available) console.log(`slurm: skipped — ${slurm.reason} (test: ${name})`);
  Deno.test({ name, ignore: !slurm.available, fn });
}

/** Settings that keep the jobs small and the polling quick. */
const jobSettings = [
  "--set",
  "slurm.cpusPerTask=1",
  "--set",
  "slurm.memory=2G",
  "--set",
  "slurm.pollSeconds=0.5",
];

interface Point {
  params: Record<string, unknown>;
  run: string;
  metrics: unknown;
  stages: { name: string }[];
}

async function sweep(artifacts: string, executor: string): Promise<Point[]> {
  const result = await runScript("commands/sweep.ts", [
    "--config",
    TINY_CONFIG,
    "--set",
    "cluster.k=8,10",
    "--set",
    "cluster.init=random,kmeans++",
    ...jobSettings,
    "--executor",
    executor,
    "--artifacts",
    artifacts,
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).points;
}

/** Each run's stage keys, from its record in the store. */
function stageKeys(artifacts: string, run: string): Record<string, string> {
  const record = JSON.parse(Deno.readTextFileSync(join(artifacts, "runs", `${run}.json`)));
  return Object.fromEntries(
    record.stages.map((stage: { name: string; key: string }) => [stage.name, stage.key]),
  );
}

slurmTest(
  "a 2×2 sweep on Slurm writes the records and metrics of the same sweep run here",
  async () => {
    using temporaryLocal = temporaryFolder("encluster-sweep-local-");
    const local = temporaryLocal.path;
    using temporaryCluster = temporaryFolder("encluster-sweep-slurm-");
    const cluster = temporaryCluster.path;
    try {
      const here = await sweep(local, "local");
      const there = await sweep(cluster, "slurm");
      assert.equal(there.length, 4);
      assert.deepEqual(there.map((point) => point.params), here.map((point) => point.params));
      assert.deepEqual(there.map((point) => point.metrics), here.map((point) => point.metrics));
      for (const [index, point] of there.entries()) {
        assert.deepEqual(stageKeys(cluster, point.run), stageKeys(local, here[index]!.run));
      }
      // Four points, one training: the jobs shared it through the store's key locks.
      const trainRecords = [...Deno.readDirSync(join(cluster, "stages", "train"))].filter((e) =>
        e.name.endsWith(".json")
      );
      assert.equal(trainRecords.length, 1);
      const verify = await runScript("commands/verify.ts", ["--artifacts", cluster]);
      assert.equal(verify.code, 0, verify.stdout);
    } finally {
      Deno.removeSync(local, { recursive: true });
      Deno.removeSync(cluster, { recursive: true });
    }
  },
);

slurmTest(
  "a job cancelled with scancel during training is resubmitted and resumes from its checkpoint",
  async () => {
    using temporaryArtifacts = temporaryFolder("encluster-scancel-");
    const artifacts = temporaryArtifacts.path;
    using temporaryReference = temporaryFolder("encluster-scancel-reference-");
    const reference = temporaryReference.path;
    const longer = ["--set", "train.epochs=6", "--set", "train.checkpointEvery=1"];
    try {
      const running = runScript("pipeline.ts", [
        "--config",
        TINY_CONFIG,
        ...longer,
        ...jobSettings,
        "--executor",
        "slurm",
        "--artifacts",
        artifacts,
        "--json",
      ]);
      // Wait for the job's log to show a saved epoch, then cancel it.
      const log = await waitFor(() => {
        const folder = join(artifacts, "slurm");
        for (const submission of safeList(folder)) {
          const path = join(folder, submission, "p1.log");
          if (/epoch 2\/6/.test(safeRead(path))) return path;
        }
        return undefined;
      });
      const squeue = await new Deno.Command("squeue", {
        args: ["--noheader", "--format=%i", "--name=encluster"],
        stdout: "piped",
      }).output();
      const jobs = new TextDecoder().decode(squeue.stdout).trim().split(/\s+/).filter((id) => id);
      assert.ok(jobs.length > 0, "the job is in the queue");
      await new Deno.Command("scancel", { args: jobs }).output();

      const result = await running;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /cancelled \(job /);
      assert.match(result.stderr, /attempt 2/);
      assert.match(safeRead(log), /resuming after epoch [1-6]\/6 from the checkpoint/);
      // The interrupted training ends where an uninterrupted one does.
      const alone = await runTinyPipeline(reference, ...longer);
      assert.equal(alone.code, 0, alone.stderr);
      assert.deepEqual(JSON.parse(result.stdout).metrics, JSON.parse(alone.stdout).metrics);
    } finally {
      Deno.removeSync(artifacts, { recursive: true });
      Deno.removeSync(reference, { recursive: true });
    }
  },
);

slurmTest(
  "a point cancelled on the cluster is reported with its job id and log while the others finish",
  async () => {
    using temporaryArtifacts = temporaryFolder("encluster-slurm-failure-");
    const artifacts = temporaryArtifacts.path;
    try {
      const running = runScript("commands/sweep.ts", [
        "--config",
        TINY_CONFIG,
        "--set",
        "cluster.k=8,10",
        "--set",
        "train.epochs=4",
        ...jobSettings,
        "--set",
        "slurm.onKilled=report",
        "--executor",
        "slurm",
        "--artifacts",
        artifacts,
      ]);
      // Cancel the first point's job once it is training; the second point shares that training.
      const job = await waitFor(() => {
        const folder = join(artifacts, "slurm");
        for (const submission of safeList(folder)) {
          const text = safeRead(join(folder, submission, "p1.log"));
          const id = /^== slurm job (\S+)/m.exec(text)?.[1];
          if (/train:/.test(text) && id !== undefined) return id;
        }
        return undefined;
      });
      await new Deno.Command("scancel", { args: [job] }).output();
      const result = await running;
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /point 1\/2 cluster\.k=8 \(Slurm job \d+_0\): cancelled/);
      assert.match(result.stderr, /^ {4}\S/m, "the tail of its log follows");
      assert.match(result.stderr, /point 2\/2 cluster\.k=10: done/);
    } finally {
      Deno.removeSync(artifacts, { recursive: true });
    }
  },
);

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`gave up waiting after ${timeoutMs} ms`);
}

function safeList(folder: string): string[] {
  try {
    return [...Deno.readDirSync(folder)].map((entry) => entry.name);
  } catch {
    return [];
  }
}

function safeRead(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}
