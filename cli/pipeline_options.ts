/**
 * The options of one run of this project's pipeline, as `pipeline` and
 * `sweep` start it: the declared stages and metrics output, this project's
 * code for the cache keys, and progress on stderr.
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import { projectCode } from "../engine/project_code.ts";
import type { RunOptions } from "../engine/runner.ts";
import type { Store } from "../engine/store/store.ts";
import { pipeline } from "../stages/dag.ts";
import { projectRoot } from "./project_root.ts";

/**
 * Options for running the pipeline once on `config`.
 *
 * @param config the resolved configuration
 * @param configFile the configuration file as the user named it, for the run record
 * @param store the store to run against
 * @param force stages to run even when cached, or "all"
 * @returns the runner's options
 */
export function pipelineRunOptions(
  config: Config,
  configFile: string,
  store: Store,
  force?: ReadonlySet<string> | "all",
): RunOptions {
  return {
    stages: pipeline.stages,
    metrics: pipeline.metrics,
    config,
    configFile,
    store,
    project: projectCode(projectRoot),
    force,
    log: (line) => console.error(line),
    interactive: Deno.stderr.isTerminal(),
  };
}
