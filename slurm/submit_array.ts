/**
 * Submits N job specs as one Slurm job array: writes the batch script to the
 * submission's folder, empties the specs' logs, and runs
 * `sbatch --parsable --array=0-(N-1)`. Element `i` (Slurm job `<array>_<i>`)
 * runs spec `i`; {@link watchArray} follows the elements to their end.
 *
 * @example
 * ```ts ignore
 * import { submitArray } from "./submit_array.ts";
 *
 * const submission = await submitArray(
 *   [1, 2].map((x) => ({
 *     name: `point ${x}`,
 *     argv: ["sh", "-c", "echo point $X"],
 *     cwd: "/shared/project",
 *     env: { X: String(x) },
 *     log: `/shared/project/logs/point-${x}.log`,
 *   })),
 *   { cpusPerTask: 1, memory: "1G", timeLimit: "30:00" },
 *   { dir: "/shared/project/slurm/sweep-1" },
 * );
 * console.log(`submitted job array ${submission.arrayJobId}`);
 * ```
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import type { JobResources, JobSpec } from "./job_spec.ts";
import { batchScript } from "./_batch_script.ts";
import { parsableJobId, sbatchOptions } from "./_sbatch_options.ts";
import { runCommandOrThrow } from "./_slurm_command.ts";
import { arrayOutputPattern, batchScriptPath } from "./_submission_files.ts";

/** Where a submission keeps its files, and the array's name in `squeue`. */
export interface SubmitOptions {
  /**
   * The submission's folder, on a file system the nodes share: the batch
   * script, the exit files and Slurm's own output go there. Created when
   * missing; it must not hold another submission's batch script.
   */
  readonly dir: string;
  /** `--job-name` of the array and of resubmitted jobs (default "encluster"). */
  readonly jobName?: string;
}

/** A submitted job array: what {@link watchArray} and {@link resubmitElement} need. */
export interface ArraySubmission {
  /** The array's Slurm job id; element `i` is `<arrayJobId>_<i>`. */
  readonly arrayJobId: string;
  /** The specs, element `i` runs `specs[i]`, with absolute paths. */
  readonly specs: readonly JobSpec[];
  /** What each job asks for; resubmitted jobs ask for the same. */
  readonly resources: JobResources;
  /** The submission's folder (absolute). */
  readonly dir: string;
  /** The batch script, in `dir`. */
  readonly script: string;
  /** The array's `--job-name`, also given to resubmitted jobs. */
  readonly jobName: string;
}

/**
 * Submits `specs` as one job array.
 *
 * @param specs the jobs, at least one; relative paths are resolved against the current directory
 * @param resources what each job asks for
 * @param options the submission's folder and name
 * @returns the submission, with the array's job id
 * @throws {RangeError} when `specs` is empty, an argv is empty,
 *   `cpusPerTask` is not a positive integer, or `dir` holds a `%` (which
 *   `sbatch` reads as a pattern)
 * @throws {TypeError} when an environment variable's name is not a shell name
 * @throws {Error} when `dir` holds another submission's batch script, or
 *   naming the `sbatch` command line and quoting its stderr when it fails
 */
export async function submitArray(
  specs: readonly JobSpec[],
  resources: JobResources,
  options: SubmitOptions,
): Promise<ArraySubmission> {
  if (specs.length === 0) throw new RangeError("Cannot submit a job array of no job specs");
  const dir = resolve(options.dir);
  if (dir.includes("%")) {
    throw new RangeError(`Cannot submit into ${dir}: sbatch would read its '%' as a pattern`);
  }
  const absolute = specs.map((spec) => absoluteSpec(spec));
  const script = batchScriptPath(dir);
  const text = batchScript(absolute, dir);
  const jobName = options.jobName ?? "encluster";
  const sbatchArgs = [
    "--parsable",
    `--array=0-${absolute.length - 1}`,
    `--output=${arrayOutputPattern(dir)}`,
    ...sbatchOptions(resources, jobName, dir),
    script,
  ];
  await Deno.mkdir(dir, { recursive: true });
  try {
    await Deno.writeTextFile(script, text, { createNew: true, mode: 0o755 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new Error(
        `Cannot submit into ${dir}: it holds the batch script of another submission (${script})`,
      );
    }
    throw error;
  }
  for (const spec of absolute) {
    await Deno.mkdir(dirname(spec.log), { recursive: true });
    await Deno.writeTextFile(spec.log, "");
  }
  let stdout: string;
  try {
    stdout = await runCommandOrThrow("sbatch", sbatchArgs);
  } catch (error) {
    // Nothing was submitted: free the folder for another try.
    await Deno.remove(script);
    throw error;
  }
  return {
    arrayJobId: parsableJobId(stdout, "sbatch --parsable --array"),
    specs: absolute,
    resources,
    dir,
    script,
    jobName,
  };
}

function absoluteSpec(spec: JobSpec): JobSpec {
  if (spec.argv.length === 0) {
    throw new RangeError(`Cannot submit job ${JSON.stringify(spec.name)}: its argv is empty`);
  }
  return { ...spec, cwd: resolve(spec.cwd), log: resolve(spec.log) };
}
