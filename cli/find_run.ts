/**
 * Finding the run a user named on the command line: an id or a unique start
 * of one, `latest`, `latest~N`, or a configuration file.
 *
 * @module
 */
import { canonicalJson } from "../engine/canonical_json.ts";
import { isFile } from "../engine/is_file.ts";
import { userPath } from "./user_paths.ts";
import { loadConfig } from "../config/config_file.ts";
import { ConfigError } from "../config/config_error.ts";
import type { ConfigSchema } from "../config/schema.ts";
import type { RunRecord } from "../engine/store/records.ts";

const howToName = "name a run by its id (or a unique start of it; `deno task runs` lists them), " +
  "'latest', 'latest~N' (N runs before the latest), or a configuration file (its latest run)";

/**
 * Finds the run a user named: a run id or a unique prefix of one, `latest`,
 * `latest~N`, or a configuration file, meaning the latest run of exactly
 * that configuration.
 *
 * @param reference what the user typed
 * @param runs every run, oldest first
 * @param schema resolves a configuration file the way `pipeline` would
 * @returns the run
 * @throws {ConfigError} when nothing or more than one run matches, saying how to name runs
 */
export function findRun(
  reference: string,
  runs: readonly RunRecord[],
  schema: ConfigSchema,
): RunRecord {
  if (runs.length === 0) {
    throw new ConfigError(
      `There are no runs in this artifacts folder yet: run 'deno task pipeline' first`,
    );
  }
  const relative = /^latest(?:~(\d+))?$/.exec(reference);
  if (relative !== null) {
    const back = Number(relative[1] ?? 0);
    const run = runs[runs.length - 1 - back];
    if (run === undefined) {
      throw new ConfigError(
        `'${reference}' goes back further than the ${runs.length} runs there are`,
      );
    }
    return run;
  }
  if (reference.endsWith(".json") || isFile(userPath(reference))) {
    const config = canonicalJson(loadConfig(schema, userPath(reference), []));
    const run = runs.findLast((candidate) => canonicalJson(candidate.config) === config);
    if (run === undefined) {
      throw new ConfigError(
        `No run used the configuration in '${reference}': run it with --config ${reference}`,
      );
    }
    return run;
  }
  const matches = runs.filter((run) => run.id.startsWith(reference));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new ConfigError(`'${reference}' matches ${matches.length} runs: give more of the id`);
  }
  throw new ConfigError(`Unknown run '${reference}': ${howToName}`);
}
