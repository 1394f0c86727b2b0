/**
 * `--jobs N`: the number of cores the stages of a command may keep busy at
 * once (by default, all of this machine's).
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";

/**
 * The core budget the user asked for.
 *
 * @param text `--jobs`'s value, or undefined for the default
 * @returns a whole number ≥ 1
 * @throws {ConfigError} when it is not a whole number ≥ 1
 */
export function jobsOption(text: string | undefined): number {
  if (text === undefined) return navigator.hardwareConcurrency;
  const jobs = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(jobs) || jobs < 1) {
    throw new ConfigError(
      `--jobs must be a whole number of cores ≥ 1 (this machine has ` +
        `${navigator.hardwareConcurrency}): got '${text}'`,
    );
  }
  return jobs;
}
