import type { Config } from "../config/config.ts";
import { projectCode } from "../engine/project_code.ts";
import type { RunOptions } from "../engine/runner.ts";
import type { Store } from "../engine/store/store.ts";
import { pipelineStages } from "../stages/dag.ts";

/**
 * Options for one run of the project's pipeline, as `pipeline` and `sweep`
 * start it: the declared stages, this project's code, progress on stderr.
 */
export function pipelineRunOptions(
  config: Config,
  configFile: string,
  store: Store,
  force?: ReadonlySet<string> | "all",
): RunOptions {
  return {
    stages: pipelineStages,
    config,
    configFile,
    store,
    project: projectCode(),
    force,
    log: (line) => console.error(line),
    interactive: Deno.stderr.isTerminal(),
  };
}
