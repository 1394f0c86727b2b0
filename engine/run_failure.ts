/**
 * How a run fails: the error that says a run's record was written as
 * failed, the line that says which stage failed and why, and which errors
 * mean a stored object is damaged rather than a bug.
 *
 * @module
 */
import { errorMessage } from "./error_message.ts";
import { StageError } from "./stage_thread.ts";
import type { RunRecord } from "./store/records.ts";
import { DamagedObjectError } from "./store/store.ts";

/** A run that failed: its record was written, and says which stage failed and why. */
export class RunFailedError extends Error {
  override readonly name = "RunFailedError";
  /**
   * @param record the failed run's record
   * @param cause what the first failing stage threw
   */
  constructor(readonly record: RunRecord, override readonly cause: unknown) {
    super(record.error ?? "the run failed");
  }
}

/** True for errors that mean a stored object cannot be trusted. */
export function isDamage(error: Error): boolean {
  return error instanceof DamagedObjectError || error.name === "TensorFileError" ||
    error instanceof SyntaxError;
}

/** One line on why a run failed: the stage and its error. */
export function describeFailure(error: unknown): string {
  if (error instanceof StageError) return `${error.stage}: ${error.message}`;
  return errorMessage(error);
}
