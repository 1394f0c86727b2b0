/**
 * Where a submission keeps its files, in the folder given to
 * {@link submitArray}: the batch script, and per Slurm job id (`12_3` for an
 * array element, `15` for a resubmitted job) the exit file the script writes
 * and the output Slurm itself writes (messages such as "CANCELLED AT …").
 * The batch script and the watcher both follow these names.
 *
 * @module
 */
import { join } from "node:path";

/** The batch script of the submission in `dir`. */
export function batchScriptPath(dir: string): string {
  return join(dir, "array.sbatch");
}

/** The file holding the exit code of Slurm job `jobId`, once its program has ended. */
export function exitFilePath(dir: string, jobId: string): string {
  return join(dir, `${jobId}.exit`);
}

/** What Slurm and the batch script print outside the job's own log. */
export function slurmOutputPath(dir: string, jobId: string): string {
  return join(dir, `slurm-${jobId}.out`);
}

/** The `--output` pattern that makes Slurm write {@link slurmOutputPath} for every array element. */
export function arrayOutputPattern(dir: string): string {
  return join(dir, "slurm-%A_%a.out");
}

/** The `--output` pattern for a job submitted alone. */
export function singleOutputPattern(dir: string): string {
  return join(dir, "slurm-%j.out");
}
