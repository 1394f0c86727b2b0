/**
 * Whole-number options: `--jobs N`, the number of cores the stages of a
 * command may keep busy at once (by default, all of this machine's), and
 * counts such as `--replicates N`.
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
  const cores = navigator.hardwareConcurrency;
  return countOption("--jobs", text, cores, ` of cores (this machine has ${cores})`);
}

/**
 * A count option such as `--replicates N`.
 *
 * @param name the option, for the message
 * @param text its value, or undefined for the default
 * @param fallback the default
 * @param unit what is counted, for the message (` of cores`)
 * @returns a whole number ≥ 1
 * @throws {ConfigError} when it is not a whole number ≥ 1
 */
export function countOption(
  name: string,
  text: string | undefined,
  fallback: number,
  unit = "",
): number {
  if (text === undefined) return fallback;
  const count = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(count) || count < 1) {
    throw new ConfigError(`${name} must be a whole number${unit} ≥ 1: got '${text}'`);
  }
  return count;
}
