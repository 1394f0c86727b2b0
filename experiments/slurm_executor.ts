/**
 * `--executor slurm`: the points of a sweep, or the replicates of a
 * pipeline, handed to the Slurm cluster the user already has, as one job
 * array. Each job runs one replicate on its node against the same store on
 * the shared file system (`commands/slurm_job.ts`); the per-key locks keep two
 * nodes from computing one key, so stages the points share are still
 * computed once. The submitting command shows each job's state as it
 * changes, and at the end has the same run records a local run would.
 *
 * @module
 */
import { join } from "node:path";
import { ConfigError } from "../config/config_error.ts";
import { newRunId } from "../engine/run_id.ts";
import type { RunGroup, RunRecord } from "../engine/store/records.ts";
import type { Store } from "../engine/store/store.ts";
import { slurmAvailability } from "../slurm/slurm_available.ts";
import { submitArray } from "../slurm/submit_array.ts";
import type { JobSpec } from "../slurm/job_spec.ts";
import { watchArray } from "../slurm/watch_array.ts";
import { pipeline } from "../stages/dag.ts";
import { projectRoot } from "../cli/project_root.ts";
import { replicateConfigs } from "./replicate_configs.ts";
import { newGroupId } from "./run_experiment.ts";
import type { ExperimentPlan } from "./run_experiment.ts";
import type { SlurmConfig } from "./slurm_section.ts";
import type { SlurmJob, SlurmJobResult } from "./slurm_job_file.ts";

/** A job that did not end with its run done. */
export interface SlurmFailure {
  readonly name: string;
  /** Every Slurm job id it ran as (the array element, then its resubmissions). */
  readonly jobIds: readonly string[];
  /** How it ended: failed, cancelled, timeout, … */
  readonly state: string;
  /** The last lines of its log. */
  readonly logTail: readonly string[];
}

/** One point's outcome on the cluster. */
export interface SlurmPointResult {
  /** The run's id, or the group's. */
  readonly id: string;
  readonly grouped: boolean;
  /** The run records the jobs wrote, in replicate order (those that got that far). */
  readonly records: readonly RunRecord[];
  /** The reports of the runs that succeeded. */
  readonly reports: readonly string[];
  readonly failures: readonly SlurmFailure[];
}

/**
 * Checks that a Slurm cluster answers, before anything is submitted.
 *
 * @throws {ConfigError} saying what `sinfo` said
 */
export async function requireSlurm(): Promise<void> {
  const availability = await slurmAvailability();
  if (!availability.available) {
    throw new ConfigError(
      `--executor slurm needs a Slurm cluster this machine can submit to (${availability.reason}): ` +
        "run where sinfo shows nodes, or use --executor local",
    );
  }
}

/**
 * Runs the points' replicates as Slurm jobs and waits for them.
 *
 * @param points each point's configuration, replicates and label
 * @param store the store, on a file system the nodes share
 * @param slurm what each job asks for, and what to do with killed jobs
 * @param log where state changes go
 * @returns each point's records, reports and failures
 */
export async function runOnSlurm(
  points: readonly ExperimentPlan[],
  store: Store,
  slurm: SlurmConfig,
  log: (line: string) => void,
): Promise<SlurmPointResult[]> {
  const dir = join(store.root, "slurm", newRunId());
  Deno.mkdirSync(dir, { recursive: true });
  const specs: JobSpec[] = [];
  const owners: { point: number; result: string }[] = [];
  const groups = points.map((point) => point.replicates > 1 ? newGroupId() : undefined);
  for (const [index, point] of points.entries()) {
    const configs = replicateConfigs(point.config, pipeline.seeds, point.replicates);
    for (const [replicate, config] of configs.entries()) {
      const name = `p${index + 1}${point.replicates > 1 ? `-r${replicate}` : ""}`;
      const group: RunGroup | undefined = groups[index] === undefined
        ? undefined
        : { id: groups[index]!, index: replicate, size: point.replicates };
      const job: SlurmJob = {
        store: store.root,
        config,
        configFile: point.configFile,
        label: [point.label ?? "", group === undefined ? "" : `r${replicate}`].filter((part) =>
          part !== ""
        ).join(" "),
        ...(group === undefined ? {} : { group }),
        result: join(dir, `${name}.result.json`),
      };
      const jobFile = join(dir, `${name}.job.json`);
      Deno.writeTextFileSync(jobFile, JSON.stringify(job));
      specs.push({
        name: `point ${index + 1}/${points.length}${point.label ? ` ${point.label}` : ""}${
          group === undefined ? "" : ` r${replicate}`
        }`,
        argv: [Deno.execPath(), "run", ...jobPermissions, jobScript, jobFile],
        cwd: projectRoot,
        log: join(dir, `${name}.log`),
      });
      owners.push({ point: index, result: job.result });
    }
  }
  const submission = await submitArray(specs, {
    cpusPerTask: slurm.cpusPerTask,
    ...(slurm.memory === null ? {} : { memory: slurm.memory }),
    ...(slurm.timeLimit === null ? {} : { timeLimit: slurm.timeLimit }),
    ...(slurm.partition === null ? {} : { partition: slurm.partition }),
    ...(slurm.extraOptions === null
      ? {}
      : { extraOptions: slurm.extraOptions.split(/\s+/).filter((option) => option !== "") }),
  }, { dir, jobName: "encluster" });
  log(`submitted ${specs.length} jobs as Slurm array ${submission.arrayJobId} (files in ${dir})`);
  const elements = await watchArray(submission, {
    intervalMs: slurm.pollSeconds * 1000,
    onKilled: slurm.onKilled,
    maxResubmits: slurm.maxResubmits,
    onChange: (change) =>
      log(
        `${change.name}: ${change.state} (job ${change.jobId}` +
          `${change.attempt > 1 ? `, attempt ${change.attempt}` : ""})`,
      ),
  });
  const results = points.map((_, index) => ({
    id: groups[index],
    records: [] as RunRecord[],
    reports: [] as string[],
    failures: [] as SlurmFailure[],
  }));
  for (const element of elements) {
    const owner = owners[element.index]!;
    const point = results[owner.point]!;
    const outcome = readResult(owner.result);
    const record = outcome === undefined ? undefined : store.readRun(outcome.run);
    if (record !== undefined) point.records.push(record);
    if (element.state === "done" && outcome?.status === "succeeded") {
      if (outcome.report !== undefined) point.reports.push(outcome.report);
      continue;
    }
    point.failures.push({
      name: element.name,
      jobIds: element.jobIds,
      state: outcome?.error === undefined ? element.state : `failed: ${outcome.error}`,
      logTail: element.logTail,
    });
  }
  return results.map((point) => ({
    id: point.id ?? point.records[0]?.id ?? "(no run)",
    grouped: point.id !== undefined,
    records: point.records.sort((a, b) => (a.group?.index ?? 0) - (b.group?.index ?? 0)),
    reports: point.reports,
    failures: point.failures,
  }));
}

/** The job's result file, if it got to write one. */
function readResult(path: string): SlurmJobResult | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(path)) as SlurmJobResult;
  } catch {
    return undefined;
  }
}

/** The job script, and the permissions the pipeline task has. */
const jobScript = join(projectRoot, "commands", "slurm_job.ts");
const jobPermissions = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
];

/**
 * The lines that report a failed job: its name and Slurm job ids, how it
 * ended, and the tail of its log.
 */
export function describeFailure(failure: SlurmFailure): string[] {
  return [
    `${failure.name} (Slurm job ${failure.jobIds.join(", then ")}): ${failure.state}`,
    ...failure.logTail.map((line) => `    ${line}`),
  ];
}
