/**
 * Follows the elements of a submitted job array to their end: polls
 * `squeue` at an interval, reports every change of an element's state (so a
 * command can show "point 3: running"), resubmits elements Slurm killed when
 * asked to, and resolves with each element's job id, final state, exit code
 * and log tail. It needs no accounting (`sacct`): the states come from
 * `squeue`, and an element that Slurm has already forgotten is known by the
 * exit file the batch script writes.
 *
 * @example
 * ```ts ignore
 * import { submitArray } from "./submit_array.ts";
 * import { watchArray } from "./watch_array.ts";
 *
 * const submission = await submitArray(specs, { cpusPerTask: 1 }, { dir: "/shared/slurm/sweep-1" });
 * const results = await watchArray(submission, {
 *   intervalMs: 2000,
 *   onKilled: "resubmit",
 *   onChange: (change) => console.error(`${change.name}: ${change.state} (job ${change.jobId})`),
 * });
 * for (const result of results.filter((result) => result.state !== "done")) {
 *   console.error(`${result.name} ${result.state} (job ${result.jobId}):\n${result.logTail.join("\n")}`);
 * }
 * ```
 *
 * @module
 */
import type { JobSpec } from "./job_spec.ts";
import {
  type ElementState,
  elementState,
  type FinalState,
  isFinal,
  killedStates,
} from "./element_state.ts";
import { logTail } from "./log_tail.ts";
import { type QueueRow, queueStates } from "./queue_states.ts";
import { resubmitElement } from "./resubmit_element.ts";
import type { ArraySubmission } from "./submit_array.ts";
import { exitFilePath, slurmOutputPath } from "./_submission_files.ts";
import { errorMessage } from "../engine/error_message.ts";

/** How to watch, and what to do with an element Slurm killed. */
export interface WatchOptions {
  /** Time between two `squeue` calls, in milliseconds (default 5000). */
  readonly intervalMs?: number;
  /**
   * Called at every change of an element's state, in order; the watch waits
   * for a returned promise. What it throws ends the watch.
   */
  readonly onChange?: (change: ElementChange) => void | Promise<void>;
  /**
   * What to do with an element that ended `cancelled` (`scancel`),
   * `timeout`, `preempted` or `node-failure`: submit it again as a job of
   * its own, up to `maxResubmits` times, and watch that job; or report it in
   * that state (the default). Note that `scancel` of the whole array then
   * resubmits every element: stop the watch first to stop the array.
   */
  readonly onKilled?: "resubmit" | "report";
  /** Resubmissions allowed per element (default 2). */
  readonly maxResubmits?: number;
  /** Lines of log in each result (default 20). */
  readonly logLines?: number;
  /** Stops the watch (not the jobs): the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** An element's state changed. */
export interface ElementChange {
  /** The element, 0-based: it runs `submission.specs[index]`. */
  readonly index: number;
  /** The spec's name. */
  readonly name: string;
  /** The Slurm job: `<array>_<index>`, or a resubmitted job's id. */
  readonly jobId: string;
  /** 1 for the array element, 2 for its first resubmission, … */
  readonly attempt: number;
  /** The state the element is in now. */
  readonly state: ElementState;
  /** The state before, undefined when the element is first seen. */
  readonly previous: ElementState | undefined;
  /** Slurm's own words: its state name and reason ("PENDING (Resources)"). */
  readonly slurmState: string;
}

/** How an element ended. */
export interface ElementResult {
  /** The element, 0-based: it ran `submission.specs[index]`. */
  readonly index: number;
  /** The spec's name. */
  readonly name: string;
  /** The last attempt's Slurm job id. */
  readonly jobId: string;
  /** Every attempt's Slurm job id, the array element first. */
  readonly jobIds: readonly string[];
  /** `done` when the program exited with 0; anything else is a failure. */
  readonly state: FinalState;
  /** Slurm's own words for the end ("FAILED (NonZeroExitCode)"). */
  readonly slurmState: string;
  /** The program's exit code when the state is `done` or `failed`, else null. */
  readonly exitCode: number | null;
  /** The signal that ended the job, as Slurm reports it, or null. */
  readonly signal: number | null;
  /**
   * The last lines of the spec's log, then those of Slurm's own output for
   * the last attempt when it printed anything (such as "CANCELLED AT …").
   */
  readonly logTail: readonly string[];
}

/** How long `squeue` may keep failing before the watch gives up. */
const unreachableLimitMs = 60_000;

/**
 * How long an element may be missing from `squeue` without an exit file
 * before it counts as lost (an exit file on a shared file system can show
 * up late on the submitting machine).
 */
const lostAfterMs = 15_000;

/** What the watch keeps per element. */
interface Tracked {
  readonly index: number;
  readonly spec: JobSpec;
  readonly jobIds: string[];
  state: ElementState | undefined;
  missingSince: number | undefined;
  result: ElementResult | undefined;
}

/**
 * Watches every element of `submission` until all have ended.
 *
 * @param submission what {@link submitArray} returned
 * @param options interval, callback, resubmission
 * @returns one result per element, in element order
 * @throws {Error} when `squeue` keeps failing for a minute (naming the
 *   command and its stderr), or when an exit file holds no exit code; a
 *   resubmission that fails ends its element in the state it was killed in,
 *   with `sbatch`'s error in `slurmState`
 */
export async function watchArray(
  submission: ArraySubmission,
  options: WatchOptions = {},
): Promise<ElementResult[]> {
  const intervalMs = options.intervalMs ?? 5000;
  const maxResubmits = options.maxResubmits ?? 2;
  const logLines = options.logLines ?? 20;
  const tracked: Tracked[] = submission.specs.map((spec, index) => ({
    index,
    spec,
    jobIds: [`${submission.arrayJobId}_${index}`],
    state: undefined,
    missingSince: undefined,
    result: undefined,
  }));
  const lastJobId = (element: Tracked) => element.jobIds.at(-1)!;

  const change = async (element: Tracked, state: ElementState, slurmState: string) => {
    if (state === element.state) return;
    const previous = element.state;
    element.state = state;
    await options.onChange?.({
      index: element.index,
      name: element.spec.name,
      jobId: lastJobId(element),
      attempt: element.jobIds.length,
      state,
      previous,
      slurmState,
    });
  };

  const end = async (
    element: Tracked,
    state: FinalState,
    slurmState: string,
    row: Pick<QueueRow, "exitCode" | "signal"> | undefined,
  ) => {
    await change(element, state, slurmState);
    const jobId = lastJobId(element);
    if (
      killedStates.includes(state) && options.onKilled === "resubmit" &&
      element.jobIds.length <= maxResubmits
    ) {
      try {
        element.jobIds.push(await resubmitElement(submission, element.index));
        element.missingSince = undefined;
        return;
      } catch (error) {
        // The element ends killed, saying why it was not run again; the
        // others go on.
        const why = errorMessage(error);
        slurmState = `${slurmState}; resubmitting it failed: ${why}`;
      }
    }
    const exitFile = await readExitCode(exitFilePath(submission.dir, jobId));
    const tail = await logTail(element.spec.log, logLines);
    const slurmOutput = slurmOutputPath(submission.dir, jobId);
    const slurmTail = await logTail(slurmOutput, logLines);
    element.result = {
      index: element.index,
      name: element.spec.name,
      jobId,
      jobIds: [...element.jobIds],
      state,
      slurmState,
      // A killed job has no exit code of its own (its program may have
      // ended with 143 on SIGTERM, or been killed outright).
      exitCode: state === "done" || state === "failed" ? exitFile ?? row?.exitCode ?? null : null,
      signal: row?.signal ?? null,
      logTail: slurmTail.length === 0
        ? tail
        : [...tail, `-- Slurm's output for job ${jobId} (${slurmOutput}) --`, ...slurmTail],
    };
  };

  const observe = async (element: Tracked, row: QueueRow | undefined) => {
    const jobId = lastJobId(element);
    if (row !== undefined) {
      element.missingSince = undefined;
      const state = elementState(row.slurmState);
      const words = row.reason === "" || row.reason === "None"
        ? row.slurmState
        : `${row.slurmState} (${row.reason})`;
      if (isFinal(state)) await end(element, state, words, row);
      else await change(element, state, words);
      return;
    }
    // Slurm has forgotten the job (MinJobAge passed): its exit file tells.
    const exitCode = await readExitCode(exitFilePath(submission.dir, jobId));
    if (exitCode !== undefined) {
      const words = `no longer in squeue; its exit file holds ${exitCode}`;
      await end(element, exitCode === 0 ? "done" : "failed", words, undefined);
      return;
    }
    element.missingSince ??= Date.now();
    if (Date.now() - element.missingSince >= lostAfterMs) {
      const words = `not in squeue for ${lostAfterMs / 1000} s and no exit file`;
      await end(element, "lost", words, undefined);
    }
  };

  let unreachableSince: number | undefined;
  while (true) {
    options.signal?.throwIfAborted();
    const active = tracked.filter((element) => element.result === undefined);
    if (active.length === 0) break;
    let rows: Map<string, QueueRow> | undefined;
    try {
      // An array's id stands for all its elements: one id per array.
      rows = await queueStates(
        active.map((element) =>
          element.jobIds.length === 1 ? submission.arrayJobId : lastJobId(element)
        ),
      );
      unreachableSince = undefined;
    } catch (error) {
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince >= unreachableLimitMs) {
        const why = errorMessage(error);
        throw new Error(
          `Cannot watch job array ${submission.arrayJobId}: squeue has failed for ${
            unreachableLimitMs / 1000
          } s: ${why}`,
        );
      }
    }
    if (rows !== undefined) {
      for (const element of active) await observe(element, rows.get(lastJobId(element)));
      if (tracked.every((element) => element.result !== undefined)) break;
    }
    await delay(intervalMs, options.signal);
  }
  return tracked.map((element) => element.result!);
}

/**
 * The exit code in an exit file, or undefined when there is none yet.
 *
 * @throws {Error} when the file holds something else than an exit code
 */
async function readExitCode(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (!/^\d+\s*$/.test(text)) {
    throw new Error(`Exit file ${path} holds ${JSON.stringify(text)}, not an exit code`);
  }
  return Number(text.trim());
}

/** Waits `ms`, or rejects with `signal`'s reason when it aborts first. */
function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
