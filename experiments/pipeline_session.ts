/**
 * The options of the runs of this project's pipeline, as `pipeline` and
 * `sweep` start them: the declared stages and metrics output, and one
 * session per process that every run shares (the code as it was at start,
 * the data files' digests, the core budget).
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import type { CodeSnapshot } from "../engine/key/code_digest.ts";
import { ContentDigests } from "../engine/key/data_digest.ts";
import { projectCode } from "../engine/key/project_code.ts";
import type { RunOptions } from "../engine/runner.ts";
import { Scheduler } from "../engine/scheduler.ts";
import type { RunGroup } from "../engine/store/records.ts";
import type { Store } from "../engine/store/store.ts";
import { pipeline } from "../stages/dag.ts";
import { projectRoot } from "../cli/project_root.ts";

/** What every run of one process shares. */
export interface PipelineSession {
  readonly store: Store;
  readonly code: CodeSnapshot;
  readonly data: ContentDigests;
  readonly scheduler: Scheduler;
  /** How many runs may be under way at once (each needs a core for its stages). */
  readonly runSlots: Scheduler;
}

/**
 * Starts the session of this process: the project's code is digested as it
 * is now, when its modules have just been loaded.
 *
 * @param store the store the runs use
 * @param jobs the core budget (`--jobs`)
 */
export function openSession(store: Store, jobs: number): PipelineSession {
  return {
    store,
    code: projectCode(projectRoot),
    data: new ContentDigests(store.dataDigestsFile),
    scheduler: new Scheduler(jobs),
    runSlots: new Scheduler(jobs),
  };
}

/**
 * Options for running the pipeline once on `config`.
 *
 * @param config the resolved configuration
 * @param configFile the configuration file as the user named it, for the run record
 * @param session the process's session
 * @param force stages to run even when cached, or "all"
 * @param group the replicate group the run belongs to
 * @returns the runner's options
 */
export function pipelineRunOptions(
  config: Config,
  configFile: string,
  session: PipelineSession,
  force?: ReadonlySet<string> | "all",
  group?: RunGroup,
  log: (line: string) => void = (line) => console.error(line),
): RunOptions {
  return {
    stages: pipeline.stages,
    metrics: pipeline.metrics,
    config,
    configFile,
    store: session.store,
    code: session.code,
    data: session.data,
    scheduler: session.scheduler,
    force,
    group,
    log,
    interactive: Deno.stderr.isTerminal(),
  };
}
