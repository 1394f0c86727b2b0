/**
 * What one Slurm job runs (`--executor slurm`): one replicate of one point,
 * against the store on the shared file system, exactly as a local run would
 * (the same stage keys, locks, records and report), then a small result file
 * for the submitting command. Not a user command: `cli/slurm_executor.ts`
 * writes the job file this reads.
 *
 *     deno run … commands/slurm_job.ts JOB.json
 *
 * @module
 */
import { runCommand } from "../cli/command_line.ts";
import { openSession } from "../experiments/pipeline_session.ts";
import { runReplicate } from "../experiments/run_experiment.ts";
import type { SlurmJob, SlurmJobResult } from "../experiments/slurm_job_file.ts";
import { lockStore } from "../engine/store/lock.ts";
import { Store } from "../engine/store/store.ts";
import { writeFileAtomically } from "../engine/store/atomic_file.ts";
import { dirname } from "node:path";

runCommand(async () => {
  const [file] = Deno.args;
  if (file === undefined) throw new Error("usage: slurm_job.ts JOB.json");
  const job = JSON.parse(Deno.readTextFileSync(file)) as SlurmJob;
  const store = new Store(job.store);
  const cores = Number(Deno.env.get("SLURM_CPUS_PER_TASK") ?? navigator.hardwareConcurrency);
  const session = openSession(store, Math.max(1, cores || 1));
  const unlock = await lockStore(store.root, "shared", () => {
    console.error("waiting for the garbage collection that holds the store…");
  });
  let result: SlurmJobResult;
  try {
    const outcome = await runReplicate(
      job.config,
      { configFile: job.configFile, label: job.label },
      session,
      job.group,
    );
    result = {
      run: outcome.record.id,
      status: outcome.record.status,
      ...(outcome.report === undefined ? {} : { report: outcome.report }),
      ...(outcome.failure === undefined ? {} : { error: outcome.failure.message }),
    };
  } finally {
    unlock();
  }
  writeFileAtomically(
    job.result,
    new TextEncoder().encode(JSON.stringify(result)),
    dirname(job.result),
  );
  store.close();
  return result.status === "succeeded" ? 0 : 1;
});
