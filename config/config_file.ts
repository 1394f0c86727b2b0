/**
 * A configuration file read from disk and resolved: the file's values over
 * the defaults, then the command line's `--set` overrides.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { type Config, resolveConfig } from "./config.ts";
import { ConfigError } from "./config_error.ts";
import { errorMessage } from "../engine/error_message.ts";
import { findDuplicateKey } from "./duplicate_keys.ts";
import type { ConfigSchema } from "./schema.ts";

/**
 * Reads a configuration file and resolves it against the schema, with the
 * `--set` overrides applied last.
 *
 * @param schema the pipeline's configuration schema
 * @param path the JSON file
 * @param sets `KEY=VALUE` overrides
 * @param setsFolder the folder the user typed `--set` in: its relative paths
 *   start there, the file's start at the file's folder
 * @returns the resolved configuration
 * @throws {ConfigError} when the file is missing or not JSON, or a value is wrong
 */
export function loadConfig(
  schema: ConfigSchema,
  path: string,
  sets: readonly string[],
  setsFolder = Deno.cwd(),
): Config {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound ? "no such file" : String(error);
    throw new ConfigError(
      `Cannot read the configuration file '${path}': ${reason}. ` +
        `Pass an existing JSON file with --config FILE (configs/seed.json is the default).`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `The configuration file '${path}' is not valid JSON: ${errorMessage(error)}`,
    );
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    throw new ConfigError(
      `'${duplicate.path}' is given twice in '${path}' (again on line ${duplicate.line}): ` +
        `JSON keeps only the last value, so keep the one you mean and delete the other`,
    );
  }
  return resolveConfig(schema, parsed, sets, `'${path}'`, {
    file: dirname(resolve(path)),
    sets: setsFolder,
  });
}
