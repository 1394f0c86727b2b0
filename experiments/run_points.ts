/**
 * Running a list of experiments (a sweep's points, or the one experiment of
 * `pipeline`) with the chosen executor, and what came of each in one form:
 * `local` runs them in this process within `--jobs` cores, `slurm` hands
 * them to the cluster as a job array. Either way the run records are in the
 * store at the end, and the caller prints the same table.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import type { JsonValue } from "../engine/stage.ts";
import type { RunRecord } from "../engine/store/records.ts";
import { summarizeMetrics } from "./metric_summary.ts";
import { writeGroupReport } from "../report/group_report.ts";
import type { PipelineSession } from "./pipeline_session.ts";
import { type ExperimentPlan, type ReplicateResult, runExperiment } from "./run_experiment.ts";
import { describeFailure, runOnSlurm } from "./slurm_executor.ts";
import type { SlurmConfig } from "./slurm_section.ts";

/** Where experiments run. */
export type Executor = "local" | "slurm";

/** One experiment's outcome. */
export interface PointOutcome {
  /** The run's id, or the group's. */
  readonly id: string;
  readonly grouped: boolean;
  /** The run records, in replicate order. */
  readonly records: readonly RunRecord[];
  /** The run's metrics, or the group's summary over the replicates that succeeded. */
  readonly metrics: JsonValue;
  /** The reports of the runs that succeeded, and for a group, the group's page first. */
  readonly reports: readonly string[];
  /** For each failed replicate, the lines that say why (with Slurm, its job ids and log tail). */
  readonly failures: readonly (readonly string[])[];
  /** The replicates as run in this process (local executor only), for `--export`. */
  readonly local?: readonly ReplicateResult[];
}

/**
 * `--executor`'s value.
 *
 * @throws {ConfigError} for anything but local and slurm
 */
export function executorOption(text: string | undefined): Executor {
  if (text === undefined || text === "local" || text === "slurm") return text ?? "local";
  throw new ConfigError(`--executor must be 'local' or 'slurm': got '${text}'`);
}

/**
 * Runs the experiments and waits for all of them.
 *
 * @param plans the experiments
 * @param executor where they run
 * @param session this process's session (its store is the one the jobs use)
 * @param slurm the jobs' resources (the `slurm` section of the configuration)
 * @param log where progress goes
 * @returns one outcome per plan, in order
 */
export async function runPoints(
  plans: readonly ExperimentPlan[],
  executor: Executor,
  session: PipelineSession,
  slurm: SlurmConfig,
  log: (line: string) => void,
): Promise<PointOutcome[]> {
  const outcomes = await run(plans, executor, session, slurm, log);
  return outcomes.map((outcome) => {
    if (!outcome.grouped) return outcome;
    const page = writeGroupReport(session.store.root, {
      groupId: outcome.id,
      metrics: outcome.metrics,
      replicates: outcome.records.map((record, index) => ({
        run: record.id,
        index: record.group?.index ?? index,
        status: record.status,
        ...(reportOf(outcome.reports, record.id)),
      })),
    });
    return { ...outcome, reports: [page, ...outcome.reports] };
  });
}

/** `{ report }` when one of the reports is the run's. */
function reportOf(reports: readonly string[], run: string): { report?: string } {
  const report = reports.find((path) => path.endsWith(`${run}.html`));
  return report === undefined ? {} : { report };
}

async function run(
  plans: readonly ExperimentPlan[],
  executor: Executor,
  session: PipelineSession,
  slurm: SlurmConfig,
  log: (line: string) => void,
): Promise<PointOutcome[]> {
  if (executor === "slurm") {
    const results = await runOnSlurm(plans, session.store, slurm, log);
    return results.map((result) => ({
      id: result.id,
      grouped: result.grouped,
      records: result.records,
      metrics: metricsOf(
        result.grouped,
        result.records.filter((record) => record.status === "succeeded"),
      ),
      reports: result.reports,
      failures: result.failures.map(describeFailure),
    }));
  }
  const results = await Promise.all(plans.map((plan) => runExperiment(plan, session)));
  return results.map((result) => {
    const succeeded = result.replicates.filter((replicate) => replicate.failure === undefined);
    return {
      id: result.id,
      grouped: result.grouped,
      records: result.replicates.map(({ record }) => record),
      metrics: metricsOf(result.grouped, succeeded.map(({ record }) => record)),
      reports: succeeded.flatMap(({ report }) => report === undefined ? [] : [report]),
      failures: result.replicates.filter((replicate) => replicate.failure !== undefined).map((
        { record, failure },
      ) => [`run ${record.id}: ${failure!.message}`]),
      local: result.replicates,
    };
  });
}

function metricsOf(grouped: boolean, succeeded: readonly RunRecord[]): JsonValue {
  if (grouped) return summarizeMetrics(succeeded.map((record) => record.metrics));
  return succeeded[0]?.metrics ?? null;
}
