/**
 * The one error class that callers catch: a mistake the user must fix.
 *
 * @module
 */

/**
 * A mistake in the user's configuration or command line. `pipeline.ts` and
 * the other commands print its message and exit with code 2; nothing is run
 * and nothing in the store changes because of it.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
