/**
 * Finding the run a user named on the command line: an id or a unique start
 * of one, `latest`, `latest~N`, or a configuration file. A group of
 * replicates counts as one entry of the history, named by its group id.
 *
 * @module
 */
import { canonicalJson } from "../engine/key/canonical_json.ts";
import { isFile } from "../engine/is_file.ts";
import { userPath } from "../cli/user_paths.ts";
import { loadConfig } from "../config/config_file.ts";
import { ConfigError } from "../config/config_error.ts";
import type { ConfigSchema } from "../config/schema.ts";
import type { RunRecord } from "../engine/store/records.ts";
import { type Experiment, experimentHistory } from "./history.ts";

const howToName = "name a run by its id (or a unique start of it; `deno task runs` lists them), " +
  "'latest', 'latest~N' (N runs before the latest), or a configuration file (its latest run)";

/**
 * Finds the run (or group of replicates) a user named: an id or a unique
 * prefix of one, `latest`, `latest~N`, or a configuration file, meaning the
 * latest run of exactly that configuration. A replicate's own run id names
 * that replicate alone.
 *
 * @param reference what the user typed
 * @param runs every run record, oldest first
 * @param schema resolves a configuration file the way `pipeline` would
 * @returns the experiment
 * @throws {ConfigError} when nothing or more than one run matches, saying how to name runs
 */
export function findRun(
  reference: string,
  runs: readonly RunRecord[],
  schema: ConfigSchema,
): Experiment {
  const history = experimentHistory(runs);
  if (history.length === 0) {
    throw new ConfigError(
      `There are no runs in this artifacts folder yet: run 'deno task pipeline' first`,
    );
  }
  const relative = /^latest(?:~(\d+))?$/.exec(reference);
  if (relative !== null) {
    const back = Number(relative[1] ?? 0);
    const entry = history[history.length - 1 - back];
    if (entry === undefined) {
      throw new ConfigError(
        `'${reference}' goes back further than the ${history.length} runs there are`,
      );
    }
    return entry;
  }
  if (reference.endsWith(".json") || isFile(userPath(reference))) {
    const config = canonicalJson(loadConfig(schema, userPath(reference), []));
    const entry = history.findLast((candidate) => canonicalJson(candidate.config) === config);
    if (entry === undefined) {
      throw new ConfigError(
        `No run used the configuration in '${reference}': run it with --config ${reference}`,
      );
    }
    return entry;
  }
  const exact = history.find((entry) => entry.id === reference);
  if (exact !== undefined) return exact;
  const replicate = runs.find((run) => run.id === reference);
  if (replicate !== undefined) return experimentHistory([{ ...replicate, group: undefined }])[0]!;
  const matches = [
    ...history.filter((entry) => entry.id.startsWith(reference)),
    ...runs.filter((run) => run.group !== undefined && run.id.startsWith(reference)).map((run) =>
      experimentHistory([{ ...run, group: undefined }])[0]!
    ),
  ];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new ConfigError(`'${reference}' matches ${matches.length} runs: give more of the id`);
  }
  throw new ConfigError(`Unknown run '${reference}': ${howToName}`);
}
