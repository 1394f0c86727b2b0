/**
 * The `sbatch` options a submission's jobs share (job arrays and jobs
 * resubmitted alone), and the job id in `sbatch --parsable`'s answer.
 *
 * @module
 */
import type { JobResources } from "./job_spec.ts";

/** The `sbatch` options for `resources`, shared by arrays and resubmitted jobs. */
export function sbatchOptions(resources: JobResources, jobName: string, dir: string): string[] {
  const cpus = resources.cpusPerTask ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1) {
    throw new RangeError(
      `Cannot submit as 'cpusPerTask' must be a positive integer: current value is ${cpus}`,
    );
  }
  return [
    `--job-name=${jobName}`,
    `--chdir=${dir}`,
    "--ntasks=1",
    `--cpus-per-task=${cpus}`,
    ...(resources.memory === undefined ? [] : [`--mem=${resources.memory}`]),
    ...(resources.timeLimit === undefined ? [] : [`--time=${resources.timeLimit}`]),
    ...(resources.partition === undefined ? [] : [`--partition=${resources.partition}`]),
    ...(resources.extraOptions ?? []),
  ];
}

/**
 * The job id in `sbatch --parsable`'s answer ("123" or "123;cluster").
 *
 * @throws {Error} when the answer holds no job id
 */
export function parsableJobId(stdout: string, what: string): string {
  const match = /^(\d+)(;\S*)?$/.exec(stdout.trim());
  if (match === null) {
    throw new Error(`${what} printed no job id: ${JSON.stringify(stdout.trim())}`);
  }
  return match[1]!;
}
