/**
 * Submits one element of a job array again, as a job of its own with the
 * same batch script, resources and spec: what {@link watchArray} does with
 * an element Slurm killed when asked to resubmit. The job appends to the
 * spec's log, so the log keeps every attempt.
 *
 * @example
 * ```ts ignore
 * import { resubmitElement } from "./resubmit_element.ts";
 * import type { ArraySubmission } from "./submit_array.ts";
 *
 * declare const submission: ArraySubmission;
 * const jobId = await resubmitElement(submission, 3);
 * console.log(`point 3 resubmitted as job ${jobId}`);
 * ```
 *
 * @module
 */
import type { ArraySubmission } from "./submit_array.ts";
import { parsableJobId, sbatchOptions } from "./_sbatch_options.ts";
import { runCommandOrThrow } from "./_slurm_command.ts";
import { singleOutputPattern } from "./_submission_files.ts";

/**
 * Submits element `index` of `submission` as a single job.
 *
 * @param submission what {@link submitArray} returned
 * @param index the element, 0-based
 * @returns the new job's Slurm id (a plain number, as the job is no array)
 * @throws {RangeError} when `index` names no element
 * @throws {Error} naming the `sbatch` command line and quoting its stderr when it fails
 */
export async function resubmitElement(submission: ArraySubmission, index: number): Promise<string> {
  if (!Number.isInteger(index) || index < 0 || index >= submission.specs.length) {
    throw new RangeError(
      `Cannot resubmit element ${index} of job array ${submission.arrayJobId}: it has elements 0..${
        submission.specs.length - 1
      }`,
    );
  }
  const stdout = await runCommandOrThrow("sbatch", [
    "--parsable",
    `--output=${singleOutputPattern(submission.dir)}`,
    ...sbatchOptions(submission.resources, submission.jobName, submission.dir),
    submission.script,
    String(index),
  ]);
  return parsableJobId(stdout, "sbatch --parsable");
}
