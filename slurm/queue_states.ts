/**
 * What Slurm's controller knows about a set of jobs, in one `squeue` call:
 * each job's (or array element's) state, exit status and reason. Without
 * accounting (no `slurmdbd`, so no `sacct`), `squeue --states=all` is the
 * one source of states, and it keeps an ended job only for `MinJobAge`
 * (300 s by default); after that the job's exit file tells how it ended.
 *
 * @example
 * ```ts
 * import { parseQueueLines } from "./queue_states.ts";
 *
 * const [row] = parseQueueLines("12_3|FAILED|768|NonZeroExitCode|\n");
 * if (row?.jobId !== "12_3" || row.exitCode !== 3 || row.signal !== null) throw new Error();
 * ```
 *
 * @module
 */
import { commandFailure, runCommand } from "./_slurm_command.ts";

/** One job as `squeue` shows it. */
export interface QueueRow {
  /** `<array>_<index>` for an array element, else the job id. */
  readonly jobId: string;
  /** Slurm's name for the state: "PENDING", "RUNNING", "FAILED", … */
  readonly slurmState: string;
  /** The batch script's exit code once it ended (0 before), or null when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it, or null. */
  readonly signal: number | null;
  /** Why it waits or ended ("Resources", "NonZeroExitCode", "None"). */
  readonly reason: string;
}

/** The `squeue --Format` fields {@link parseQueueLines} reads, each ended by `|`, unpadded. */
export const queueFormat = "JobArrayID:|,State:|,exit_code:|,Reason:|";

/**
 * The jobs among `jobIds` that Slurm knows, by job id.
 *
 * @param jobIds array job ids ("12", meaning all its elements), array elements ("12_3") or job ids
 * @returns the rows by `jobId`; a job Slurm has forgotten (or never had) is absent
 * @throws {Error} naming the `squeue` command line and quoting its stderr when it fails
 *   for another reason than not knowing any of the jobs
 */
export async function queueStates(jobIds: readonly string[]): Promise<Map<string, QueueRow>> {
  const rows = new Map<string, QueueRow>();
  if (jobIds.length === 0) return rows;
  const output = await runCommand("squeue", [
    "--noheader",
    "--array",
    "--states=all",
    `--Format=${queueFormat}`,
    `--jobs=${[...new Set(jobIds)].join(",")}`,
  ]);
  if (output.code !== 0) {
    // squeue fails when it knows none of the jobs (and answers for the
    // others when it knows some).
    if (/invalid job id/i.test(output.stderr)) return rows;
    throw new Error(commandFailure(output));
  }
  for (const row of parseQueueLines(output.stdout)) rows.set(row.jobId, row);
  return rows;
}

/**
 * The rows of `squeue --noheader --Format=`{@link queueFormat}.
 *
 * @param text squeue's stdout
 * @returns one row per non-empty line
 * @throws {SyntaxError} when a line has fewer fields than the format
 */
export function parseQueueLines(text: string): QueueRow[] {
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => {
    const fields = line.split("|");
    if (fields.length < 4) {
      throw new SyntaxError(
        `Cannot read squeue's line ${JSON.stringify(line)}: fewer than 4 fields`,
      );
    }
    const [jobId, slurmState, status, ...reason] = fields.map((field) => field.trim());
    return {
      jobId: jobId!,
      slurmState: slurmState!,
      ...exitStatus(status!),
      reason: reason.join("|").replace(/\|$/, ""),
    };
  });
}

/**
 * Slurm's exit status: a wait status ("768" is exit code 3, "15" is signal
 * 15), or "code:signal" as newer versions print it.
 */
function exitStatus(text: string): { exitCode: number | null; signal: number | null } {
  const pair = /^(\d+):(\d+)$/.exec(text);
  if (pair !== null) {
    const signal = Number(pair[2]);
    return signal === 0 ? { exitCode: Number(pair[1]), signal: null } : { exitCode: null, signal };
  }
  if (!/^\d+$/.test(text)) return { exitCode: null, signal: null };
  const status = Number(text);
  const signal = status & 0x7f;
  return signal === 0
    ? { exitCode: (status >> 8) & 0xff, signal: null }
    : { exitCode: null, signal };
}
