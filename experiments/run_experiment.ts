/**
 * Running one configuration, once or as a group of replicates, on this
 * process's session: the replicates run side by side within the core budget,
 * sharing every stage their seeds do not change (loading, normalising, the
 * pixel baseline are computed once), and each writes its run record and
 * report. `pipeline` runs one experiment, `sweep` one per grid point.
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import { newRunId } from "../engine/run_id.ts";
import { PipelineRun } from "../engine/runner.ts";
import { RunFailedError } from "../engine/run_failure.ts";
import type { RunGroup, RunRecord } from "../engine/store/records.ts";
import { runReportHtml, writeRunReport } from "../report/run_report.ts";
import { configSchema, pipeline } from "../stages/dag.ts";
import { loadConfig } from "../config/config_file.ts";
import { join } from "node:path";
import { projectRoot } from "../cli/project_root.ts";
import { pipelineRunOptions, type PipelineSession } from "./pipeline_session.ts";
import { replicateConfigs } from "./replicate_configs.ts";

/** What to run. */
export interface ExperimentPlan {
  readonly config: Config;
  /** The configuration file as the user named it, for the run records. */
  readonly configFile: string;
  /** 1 for a single run; more for a group of replicates. */
  readonly replicates: number;
  readonly force?: ReadonlySet<string> | "all";
  /** Put before each log line (a sweep point's settings), or "". */
  readonly label?: string;
}

/** What came of it. */
export interface ExperimentResult {
  /** The run's id, or the group's. */
  readonly id: string;
  readonly grouped: boolean;
  /** Each replicate's run and record, in replicate order; a failed one has its failure. */
  readonly replicates: readonly ReplicateResult[];
}

/** One replicate's outcome. */
export interface ReplicateResult {
  readonly run: PipelineRun;
  readonly record: RunRecord;
  readonly report?: string;
  readonly html?: string;
  readonly failure?: RunFailedError;
}

/**
 * Runs the plan and writes each run's report.
 *
 * @param plan the configuration and how many replicates
 * @param session the process's session (store, code snapshot, core budget)
 * @returns every replicate's record, failed ones included
 * @throws what a run throws other than a stage failure (a bug, a full disk)
 */
export async function runExperiment(
  plan: ExperimentPlan,
  session: PipelineSession,
): Promise<ExperimentResult> {
  const grouped = plan.replicates > 1;
  const groupId = grouped ? newGroupId() : undefined;
  const configs = replicateConfigs(plan.config, pipeline.seeds, plan.replicates);
  const replicates = await Promise.all(
    configs.map((config, index) =>
      session.runSlots.run(1, () =>
        runReplicate(
          config,
          plan,
          session,
          groupId === undefined ? undefined : { id: groupId, index, size: plan.replicates },
        ))
    ),
  );
  return { id: groupId ?? replicates[0]!.record.id, grouped, replicates };
}

/** A new group id: a run id's time and randomness, after `g-`. */
export function newGroupId(): string {
  return `g-${newRunId()}`;
}

/**
 * Runs one replicate (or a single run) and writes its report.
 *
 * @param config its configuration, seeds already offset
 * @param plan the experiment it belongs to (configuration file, force, label)
 * @param session the process's session
 * @param group its place in a group of replicates, if any
 * @returns its run and record, or its failure
 */
export async function runReplicate(
  config: Config,
  plan: Omit<ExperimentPlan, "config" | "replicates">,
  session: PipelineSession,
  group?: RunGroup,
): Promise<ReplicateResult> {
  const prefix = [plan.label ?? "", group === undefined ? "" : `r${group.index}`].filter((part) =>
    part !== ""
  ).join(" ");
  const log = (line: string) => console.error(prefix === "" ? line : `[${prefix}] ${line}`);
  const run = new PipelineRun(
    pipelineRunOptions(config, plan.configFile, session, plan.force, group, log),
  );
  try {
    const record = await run.execute();
    const html = await runReportHtml(run, record, { ...pipeline.report, defaults: seedConfig() });
    const report = writeRunReport(session.store.root, record, html);
    return { run, record, report, html };
  } catch (error) {
    if (!(error instanceof RunFailedError)) throw error;
    // The caller says why, once, when every run has ended.
    return { run, record: error.record, failure: error };
  }
}

/** The default configuration, configs/seed.json resolved: the report marks what differs. */
function seedConfig(): Config {
  return loadConfig(configSchema, join(projectRoot, "configs", "seed.json"), []);
}
