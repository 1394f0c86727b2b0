/**
 * The text of anything thrown, for a message that names what failed: an
 * `Error`'s message, anything else as a string.
 *
 * @example
 * ```ts
 * import { errorMessage } from "./error_message.ts";
 *
 * if (errorMessage(new RangeError("k is 0")) !== "k is 0") throw new Error();
 * if (errorMessage("plain") !== "plain") throw new Error();
 * ```
 *
 * @module
 */

/**
 * The message of `error` when it is an `Error`, else its string form.
 *
 * @param error what was thrown
 * @returns one line of text (the stack only when asked for)
 */
export function errorMessage(error: unknown, withStack = false): string {
  if (!(error instanceof Error)) return String(error);
  return withStack ? (error.stack ?? error.message) : error.message;
}
