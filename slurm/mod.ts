/**
 * Slurm building blocks: submit N job specs as one job array, watch its
 * elements to their end (resubmitting those Slurm killed, if asked), and
 * check that a cluster is there. They call Slurm's client commands
 * (`sbatch`, `squeue`, `sinfo`) and need no accounting database: the batch
 * script writes each job's exit code to a file next to it. Nothing here
 * knows the pipeline; a command hands it argv lists.
 *
 * @example
 * ```ts ignore
 * import { slurmAvailability, submitArray, watchArray } from "./mod.ts";
 *
 * const slurm = await slurmAvailability();
 * if (!slurm.available) throw new Error(slurm.reason);
 * const submission = await submitArray(
 *   ["a", "b"].map((x) => ({
 *     name: `point ${x}`,
 *     argv: ["echo", x],
 *     cwd: "/shared/work",
 *     log: `/shared/work/logs/${x}.log`,
 *   })),
 *   { cpusPerTask: 1, memory: "500M", timeLimit: "5:00" },
 *   { dir: "/shared/work/slurm/run-1" },
 * );
 * const results = await watchArray(submission, {
 *   onChange: ({ name, state, jobId }) => console.error(`${name}: ${state} (${jobId})`),
 * });
 * ```
 *
 * @module
 */
export * from "./job_spec.ts";
export * from "./element_state.ts";
export * from "./submit_array.ts";
export * from "./resubmit_element.ts";
export * from "./queue_states.ts";
export * from "./watch_array.ts";
export * from "./log_tail.ts";
export * from "./slurm_available.ts";
