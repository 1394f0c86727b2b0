/**
 * What one Slurm job runs and what the jobs of a submission may use: the
 * plain data {@link submitArray} turns into a batch script and `sbatch`
 * options. Paths are resolved against the submitting process's working
 * directory, so a job finds them wherever the node starts it.
 *
 * @example
 * ```ts
 * import type { JobResources, JobSpec } from "./job_spec.ts";
 *
 * const spec: JobSpec = {
 *   name: "point 1",
 *   argv: ["sh", "-c", "echo point $X"],
 *   cwd: "/tmp",
 *   env: { X: "1" },
 *   log: "/tmp/point-1.log",
 * };
 * const resources: JobResources = { cpusPerTask: 1, memory: "500M", timeLimit: "10:00" };
 * if (spec.argv.length !== 3 || resources.cpusPerTask !== 1) throw new Error();
 * ```
 *
 * @module
 */

/** One job: the command, where it runs, its environment and its log. */
export interface JobSpec {
  /** For people: shown in results and state changes ("point 3: running"). */
  readonly name: string;
  /** The program and its arguments, run as they are (no shell in between). */
  readonly argv: readonly string[];
  /** The working directory the program starts in. */
  readonly cwd: string;
  /** Variables set on top of the environment `sbatch` passes to the job. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The program's stdout and stderr. Emptied at submission; every start of
   * the job (a resubmission, a requeue) appends to it, after a line naming
   * the Slurm job id and the node.
   */
  readonly log: string;
}

/** What each job of a submission asks Slurm for; unset fields take the cluster's defaults. */
export interface JobResources {
  /** `--cpus-per-task`: cores for the one task of each job (default 1). */
  readonly cpusPerTask?: number;
  /** `--mem`: memory per job, in `sbatch`'s units ("500M", "4G"). */
  readonly memory?: string;
  /** `--time`: the time limit, in `sbatch`'s format ("30:00", "1-12:00:00"). */
  readonly timeLimit?: string;
  /** `--partition`: where the jobs queue. */
  readonly partition?: string;
  /**
   * More `sbatch` options, each one argument (`["--qos=short",
   * "--account=lab"]`); they come after the options above, so they win.
   */
  readonly extraOptions?: readonly string[];
}
