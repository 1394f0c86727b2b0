/**
 * The states a job goes through, in the words a command shows ("point 3:
 * running"), and how Slurm's job states map onto them. Slurm has some
 * twenty states and flags; a user needs to know whether the job waits, runs
 * or ended, and if it ended, how.
 *
 * @example
 * ```ts
 * import { elementState, isFinal } from "./element_state.ts";
 *
 * if (elementState("COMPLETING") !== "running") throw new Error();
 * if (elementState("NODE_FAIL") !== "node-failure") throw new Error();
 * if (!isFinal(elementState("CANCELLED"))) throw new Error();
 * ```
 *
 * @module
 */

/** A job that has not ended: it waits, runs, was put back in the queue, or is suspended. */
export type ActiveState = "pending" | "running" | "requeued" | "suspended";

/**
 * How a job ended: `done` (exit code 0), `failed` (any other exit code, or
 * Slurm could not start it), killed by Slurm (`cancelled`, `timeout`,
 * `preempted`, `node-failure`, `out-of-memory`), or `lost`: Slurm no longer
 * knows the job and it left no exit file.
 */
export type FinalState =
  | "done"
  | "failed"
  | "cancelled"
  | "timeout"
  | "preempted"
  | "node-failure"
  | "out-of-memory"
  | "lost";

/** Any state of a job. */
export type ElementState = ActiveState | FinalState;

/** The final states in which Slurm stopped a job that might succeed if run again. */
export const killedStates: readonly FinalState[] = [
  "cancelled",
  "timeout",
  "preempted",
  "node-failure",
];

/**
 * The state of a job from Slurm's name for it, as `squeue --Format=State`
 * prints it. A name this table does not know counts as `running`, so a
 * newer Slurm's new state keeps the job watched; the job's exit file still
 * tells when it ends.
 *
 * @param slurmState e.g. "PENDING", "COMPLETING", "OUT_OF_MEMORY", "CANCELLED by 0"
 * @returns the state shown to users
 */
export function elementState(slurmState: string): ElementState {
  switch (slurmState.trim().split(/\s+/)[0]!.toUpperCase()) {
    case "PENDING":
    case "CONFIGURING":
    case "POWER_UP_NODE":
    case "RESV_DEL_HOLD":
      return "pending";
    case "REQUEUED":
    case "REQUEUE_FED":
    case "REQUEUE_HOLD":
      return "requeued";
    case "SUSPENDED":
    case "STOPPED":
      return "suspended";
    case "COMPLETED":
      return "done";
    case "FAILED":
    case "BOOT_FAIL":
    case "DEADLINE":
    case "LAUNCH_FAILED":
    case "REVOKED":
    case "SPECIAL_EXIT":
      return "failed";
    case "CANCELLED":
      return "cancelled";
    case "TIMEOUT":
      return "timeout";
    case "PREEMPTED":
      return "preempted";
    case "NODE_FAIL":
      return "node-failure";
    case "OUT_OF_MEMORY":
      return "out-of-memory";
    default: // RUNNING, COMPLETING, SIGNALING, STAGE_OUT, RESIZING, UPDATE_DB, …
      return "running";
  }
}

/** Whether `state` is one a job ends in. */
export function isFinal(state: ElementState): state is FinalState {
  switch (state) {
    case "pending":
    case "running":
    case "requeued":
    case "suspended":
      return false;
    case "done":
    case "failed":
    case "cancelled":
    case "timeout":
    case "preempted":
    case "node-failure":
    case "out-of-memory":
    case "lost":
      return true;
    default: {
      const unknown: never = state;
      throw new TypeError(`Unknown job state: ${unknown}`);
    }
  }
}
