import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type ElementChange,
  type ElementResult,
  elementState,
  type JobSpec,
  parseQueueLines,
  slurmAvailability,
  submitArray,
  watchArray,
} from "../slurm/mod.ts";
import { batchScript } from "../slurm/_batch_script.ts";
import { moduleTemporaryFolder } from "./_temp.ts";

// The tests below the first three need a cluster (`.ci/slurm-up` starts a
// single-node one); without it each says why it is skipped.
const slurm = await slurmAvailability();

function slurmTest(name: string, fn: () => Promise<void>) {
  if (!slurm.available) console.log(`slurm: skipped — ${slurm.reason} (test: ${name})`);
  Deno.test({ name, ignore: !slurm.available, fn });
}

function tempDir(): string {
  return moduleTemporaryFolder("encluster-slurm-");
}

function shellSpec(dir: string, name: string, script: string): JobSpec {
  return { name, argv: ["sh", "-c", script], cwd: dir, log: join(dir, "logs", `${name}.log`) };
}

/** Every state each element went through, by element name. */
function stateLog(changes: readonly ElementChange[]): Record<string, string[]> {
  const states: Record<string, string[]> = {};
  for (const change of changes) (states[change.name] ??= []).push(change.state);
  return states;
}

function byName(results: readonly ElementResult[], name: string): ElementResult {
  const result = results.find((result) => result.name === name);
  assert.ok(result, `no result for ${name}`);
  return result;
}

/**
 * Runs `fn` with stand-in Slurm commands first on PATH: `commands` maps a
 * name (`sbatch`, `squeue`) to the text of a shell script, given the folder
 * the scripts are in.
 */
async function withStandIns(
  dir: string,
  commands: Record<string, (bin: string) => string>,
  fn: () => Promise<void>,
) {
  const bin = join(dir, "bin");
  Deno.mkdirSync(bin);
  for (const [name, script] of Object.entries(commands)) {
    Deno.writeTextFileSync(join(bin, name), `#!/bin/sh\n${script(bin)}`, { mode: 0o755 });
  }
  const path = Deno.env.get("PATH") ?? "";
  Deno.env.set("PATH", `${bin}:${path}`);
  try {
    await fn();
  } finally {
    Deno.env.set("PATH", path);
  }
}

async function scancel(jobId: string) {
  const output = await new Deno.Command("scancel", { args: [jobId], stderr: "piped" }).output();
  assert.equal(output.code, 0, `scancel ${jobId}: ${new TextDecoder().decode(output.stderr)}`);
}

Deno.test("batchScript() runs each element's argv and environment exactly as given", async () => {
  const dir = tempDir();
  const awkward = `it's "quoted" $HOME \`date\` \\ * ;|&\nsecond line`;
  const specs: JobSpec[] = [0, 1].map((index) => ({
    name: `point ${index}`,
    argv: ["printf", "[%s]\\n", awkward, "", `-${index}`],
    cwd: dir,
    env: { AWKWARD: awkward },
    log: join(dir, `${index}.log`),
  }));
  specs[1] = { ...specs[1]!, argv: ["sh", "-c", 'printf "%s\\n" "$AWKWARD"; exit 3'] };
  const script = join(dir, "array.sbatch");
  Deno.writeTextFileSync(script, batchScript(specs, dir));
  for (const index of [0, 1]) {
    const env = { SLURM_ARRAY_JOB_ID: "7", SLURM_ARRAY_TASK_ID: String(index) };
    const run = await new Deno.Command("bash", { args: [script], env }).output();
    assert.equal(run.code, index === 0 ? 0 : 3);
  }
  const log = (index: number) => Deno.readTextFileSync(join(dir, `${index}.log`)).split("\n");
  assert.deepEqual(log(0).slice(1, -2), [
    `[it's "quoted" $HOME \`date\` \\ * ;|&`,
    "second line]",
    "[]",
    "[-0]",
  ]);
  assert.equal(log(1)[1], `it's "quoted" $HOME \`date\` \\ * ;|&`);
  assert.equal(log(1)[2], "second line");
  assert.equal(Deno.readTextFileSync(join(dir, "7_0.exit")), "0\n");
  assert.equal(Deno.readTextFileSync(join(dir, "7_1.exit")), "3\n");
});

Deno.test("parseQueueLines() reads exit codes and signals from squeue's wait statuses", () => {
  const rows = parseQueueLines(
    "12_0|COMPLETED|0|None|\n12_1|FAILED|768|NonZeroExitCode|\n13|CANCELLED|15|None|\n14|FAILED|2:0|x|y|\n",
  );
  assert.deepEqual(
    rows.map(({ jobId, exitCode, signal, reason }) => [jobId, exitCode, signal, reason]),
    [["12_0", 0, null, "None"], ["12_1", 3, null, "NonZeroExitCode"], ["13", null, 15, "None"], [
      "14",
      2,
      null,
      "x|y",
    ]],
  );
  assert.equal(elementState("CANCELLED by 0"), "cancelled");
  assert.equal(elementState("COMPLETING"), "running");
});

Deno.test("watchArray() tells how elements ended from their exit files once squeue forgets them", async () => {
  // The array is "submitted" as job 77 and Slurm knows no job, as after
  // MinJobAge; the elements are run here.
  const dir = tempDir();
  await withStandIns(dir, {
    sbatch: () => "echo 77\n",
    squeue: () => "echo 'slurm_load_jobs error: Invalid job id specified' >&2\nexit 1\n",
  }, async () => {
    const submission = await submitArray(
      [shellSpec(dir, "ok", "echo fine"), shellSpec(dir, "bad", "echo broken; exit 3")],
      {},
      { dir: join(dir, "slurm") },
    );
    assert.equal(submission.arrayJobId, "77");
    for (const index of [0, 1]) {
      const env = { SLURM_ARRAY_JOB_ID: "77", SLURM_ARRAY_TASK_ID: String(index) };
      await new Deno.Command("bash", { args: [submission.script], env }).output();
    }
    const results = await watchArray(submission, { intervalMs: 10 });
    assert.deepEqual(
      results.map(({ jobId, state, exitCode }) => [jobId, state, exitCode]),
      [["77_0", "done", 0], ["77_1", "failed", 3]],
    );
    assert.ok(results[1]!.logTail.includes("broken"), results[1]!.logTail.join("\n"));
  });
});

Deno.test("watchArray() ends a killed element with sbatch's error when resubmitting it fails", async () => {
  // The first sbatch "submits" job 78, the second is refused; squeue shows
  // the element cancelled.
  const dir = tempDir();
  await withStandIns(dir, {
    sbatch: (bin) =>
      `if [ -e "${bin}/submitted" ]; then
  echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2
  exit 1
fi
touch "${bin}/submitted"
echo 78
`,
    squeue: () => "echo '78_0|CANCELLED|15|None|'\n",
  }, async () => {
    const submission = await submitArray([shellSpec(dir, "killed", "sleep 30")], {}, {
      dir: join(dir, "slurm"),
    });
    const [result] = await watchArray(submission, { intervalMs: 10, onKilled: "resubmit" });
    assert.equal(result?.state, "cancelled");
    assert.deepEqual(result.jobIds, ["78_0"]);
    assert.match(
      result.slurmState,
      /^CANCELLED; resubmitting it failed: `sbatch .*Invalid partition/,
    );
  });
});

slurmTest("watchArray() follows a 2×2 job array from pending through running to done", async () => {
  const dir = tempDir();
  const specs = ["1 a", "1 b", "2 a", "2 b"].map((point, index) => ({
    ...shellSpec(dir, `point ${index}`, 'echo "point $X"; sleep 1'),
    env: { X: point },
  }));
  const submission = await submitArray(specs, { cpusPerTask: 1, memory: "100M" }, {
    dir: join(dir, "slurm"),
  });
  const changes: ElementChange[] = [];
  const results = await watchArray(submission, {
    intervalMs: 500,
    onChange: (change) => void changes.push(change),
  });
  const states = stateLog(changes);
  for (const [index, result] of results.entries()) {
    assert.equal(result.jobId, `${submission.arrayJobId}_${index}`);
    assert.equal(result.state, "done", result.logTail.join("\n"));
    assert.equal(result.exitCode, 0);
    assert.ok(result.logTail.includes(`point ${specs[index]!.env.X}`), result.logTail.join("\n"));
    assert.deepEqual(states[result.name]!.slice(-2), ["running", "done"]);
  }
  // Four 1-cpu jobs on a 2-core node: at least two waited.
  assert.ok(
    Object.values(states).filter((seen) => seen[0] === "pending").length >= 2,
    JSON.stringify(states),
  );
});

slurmTest(
  "watchArray() reports an element that exits 3 as failed, with its log, and the others done",
  async () => {
    const dir = tempDir();
    const submission = await submitArray(
      [
        shellSpec(dir, "good", "echo fine"),
        shellSpec(dir, "bad", "echo about to fail; exit 3"),
        shellSpec(dir, "also good", "echo fine too"),
      ],
      { memory: "100M" },
      { dir: join(dir, "slurm") },
    );
    const results = await watchArray(submission, { intervalMs: 500 });
    assert.deepEqual(results.map((result) => result.state), ["done", "failed", "done"]);
    const bad = byName(results, "bad");
    assert.equal(bad.exitCode, 3);
    assert.equal(bad.jobId, `${submission.arrayJobId}_1`);
    assert.match(bad.slurmState, /^FAILED/);
    assert.ok(bad.logTail.includes("about to fail"), bad.logTail.join("\n"));
  },
);

/**
 * A job that counts its starts in a file and, started once, sleeps; it is
 * cancelled once it has counted its first start.
 */
async function cancelledOnce(onKilled: "resubmit" | "report") {
  const dir = tempDir();
  const starts = join(dir, "starts");
  const script = `n=$(( $(cat starts 2>/dev/null || echo 0) + 1 )); echo "$n" > starts
echo "start $n"; if [ "$n" -ge 2 ]; then echo resumed; exit 0; fi; sleep 30`;
  const submission = await submitArray(
    [shellSpec(dir, "quick", "echo quick"), shellSpec(dir, "killed", script)],
    { memory: "100M" },
    { dir: join(dir, "slurm") },
  );
  const changes: ElementChange[] = [];
  const results = await watchArray(submission, {
    intervalMs: 500,
    onKilled,
    onChange: async (change) => {
      changes.push(change);
      if (change.name !== "killed" || change.state !== "running" || change.attempt !== 1) return;
      while ((await Deno.readTextFile(starts).catch(() => "")).trim() !== "1") {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await scancel(change.jobId);
    },
  });
  return { results, changes, starts: Deno.readTextFileSync(starts).trim(), submission };
}

slurmTest(
  "watchArray() resubmits an element cancelled by scancel when onKilled is resubmit",
  async () => {
    const { results, changes, starts, submission } = await cancelledOnce("resubmit");
    assert.equal(byName(results, "quick").state, "done");
    const killed = byName(results, "killed");
    assert.equal(killed.state, "done", killed.logTail.join("\n"));
    assert.equal(killed.exitCode, 0);
    assert.equal(starts, "2");
    assert.equal(killed.jobIds.length, 2);
    assert.equal(killed.jobIds[0], `${submission.arrayJobId}_1`);
    assert.match(killed.jobId, /^\d+$/);
    const seen = stateLog(changes).killed!;
    assert.equal(seen.at(-1), "done");
    assert.ok(seen.indexOf("cancelled") > seen.indexOf("running"), seen.join(" → "));
    const again = changes.find((change) =>
      change.name === "killed" && change.previous === "cancelled"
    );
    assert.equal(again?.attempt, 2);
    assert.equal(again?.jobId, killed.jobId);
    assert.ok(killed.logTail.includes("start 1") && killed.logTail.includes("resumed"));
  },
);

slurmTest(
  "watchArray() reports an element cancelled by scancel when onKilled is report",
  async () => {
    const { results, starts } = await cancelledOnce("report");
    assert.equal(byName(results, "quick").state, "done");
    const killed = byName(results, "killed");
    assert.equal(killed.state, "cancelled");
    assert.equal(killed.exitCode, null);
    assert.equal(killed.jobIds.length, 1);
    assert.equal(starts, "1");
    assert.ok(killed.logTail.includes("start 1"), killed.logTail.join("\n"));
    assert.ok(killed.logTail.some((line) => /CANCELLED AT/.test(line)), killed.logTail.join("\n"));
  },
);
