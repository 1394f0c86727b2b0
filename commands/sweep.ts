/**
 * `deno task sweep --set KEY=V1,V2,... [--set ...] [--config FILE]`: runs
 * the grid of settings (every combination), points side by side within
 * `--jobs` cores and each as `--replicates N` seeds if asked, sharing every
 * cached stage between points (a stage several points need is computed
 * once), then prints one table, draws each metric against the swept setting
 * (error bars over replicates) and leaves a sweep record linking each
 * point's run and report.
 *
 * @module
 */
import { join } from "node:path";
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder, ensureWritableFolder, userFolder, userPath } from "../cli/user_paths.ts";
import { loadConfig } from "../config/config_file.ts";
import { ConfigError } from "../config/config_error.ts";
import { lockStore } from "../engine/store/lock.ts";
import { metricNames } from "../ml/metrics/metrics.ts";
import { projectRoot } from "../cli/project_root.ts";
import { openSession, pipelineRunOptions } from "../experiments/pipeline_session.ts";
import { executorOption, runPoints } from "../experiments/run_points.ts";
import { requireSlurm } from "../experiments/slurm_executor.ts";
import type { SlurmConfig } from "../experiments/slurm_section.ts";
import { formatScore } from "../cli/metrics_table.ts";
import { countOption, jobsOption } from "../cli/jobs_option.ts";
import { PipelineRun } from "../engine/runner.ts";
import type { JsonValue } from "../engine/stage.ts";
import { Store } from "../engine/store/store.ts";
import { sweepFigures } from "../report/sweep_figures.ts";
import { gridPoints, parseAxis } from "../cli/sweep_grid.ts";
import { textTable } from "../cli/text_table.ts";
import { preflight } from "../stages/preflight.ts";
import { configSchema } from "../stages/dag.ts";
import { newRunId } from "../engine/run_id.ts";

const usage = `Usage: deno task sweep --set KEY=V1,V2,... [--set ...] [--config FILE]
                        [--jobs N] [--replicates N] [--executor local|slurm] [--dry-run]
                        [--artifacts DIR] [--json]

Runs the pipeline once for every combination of the values, sharing the
cache: a sweep over cluster.k trains once and clusters once per k. Points
run side by side within --jobs cores (default: all); with --replicates N
each point is N runs with their seeds offset, and the table and figures
show mean ± sd. --executor slurm runs each point (and replicate) as a job
of a Slurm job array against the same store (resources: the slurm section,
e.g. --set slurm.timeLimit=2:00:00). --dry-run says what each point would run.
Example: deno task sweep --set cluster.k=6,8,10,12,14`;

/** One grid point's outcome. */
interface SweepPoint {
  params: Record<string, JsonValue>;
  /** The point's run id, or its group's. */
  run: string | null;
  replicates?: string[];
  metrics: JsonValue;
  stages: { name: string; status: string; reason: string; seconds: number }[];
  seconds: number;
  /** The point's report (its first replicate's). */
  report?: string;
  error?: string;
}

runCommand(async () => {
  const { values } = parseCommandLine(
    Deno.args,
    {
      set: { type: "string", multiple: true },
      config: { type: "string" },
      artifacts: { type: "string" },
      json: { type: "boolean" },
      jobs: { type: "string" },
      replicates: { type: "string" },
      "dry-run": { type: "boolean" },
      executor: { type: "string" },
    },
    false,
    usage,
  );
  const axes = (values.set ?? []).map(parseAxis);
  if (axes.length === 0) {
    throw new ConfigError(`sweep needs at least one --set KEY=V1,V2,...\n\n${usage}`);
  }
  const configFile = values.config === undefined
    ? join(projectRoot, "configs", "seed.json")
    : userPath(values.config);
  const configName = values.config ?? "configs/seed.json";
  const grid = gridPoints(axes);
  // Every point's configuration is checked before anything runs.
  const configs = grid.map((sets) => loadConfig(configSchema, configFile, sets, userFolder()));
  await preflight(configs);
  const replicates = countOption("--replicates", values.replicates, 1);
  const executor = executorOption(values.executor);
  const store = new Store(artifactsFolder(values.artifacts));
  const session = openSession(store, jobsOption(values.jobs));

  if (values["dry-run"]) {
    const plans = [];
    for (const [index, sets] of grid.entries()) {
      const planned = await new PipelineRun(
        pipelineRunOptions(configs[index]!, configName, session),
      )
        .plan();
      const running = planned.filter((stage) => stage.status === "would run");
      console.error(
        `point ${index + 1}/${grid.length} ${sets.join(" ")}: ` +
          (running.length === 0
            ? "all cached"
            : `would run ${running.map((stage) => stage.name).join(", ")}`),
      );
      plans.push({ params: sets, stages: planned });
    }
    if (replicates > 1) console.error(`(each as ${replicates} replicates)`);
    if (values.json) console.log(JSON.stringify({ dryRun: true, points: plans }, null, 2));
    return 0;
  }

  if (executor === "slurm") await requireSlurm();
  ensureWritableFolder(store.root);
  const unlock = await lockStore(
    store.root,
    "shared",
    () => console.error("waiting for the garbage collection that holds the store…"),
  );
  let points: SweepPoint[];
  try {
    // Log lines and job names carry the settings that vary between points.
    const varying = new Set(axes.filter((axis) => axis.values.length > 1).map((axis) => axis.key));
    const plans = grid.map((sets, index) => ({
      config: configs[index]!,
      configFile: configName,
      replicates,
      label: sets.filter((set) => varying.has(set.slice(0, set.indexOf("=")))).join(" "),
    }));
    const started = performance.now();
    const outcomes = await runPoints(
      plans,
      executor,
      session,
      configs[0]!.slurm as SlurmConfig,
      (line) => console.error(line),
    );
    const seconds = (performance.now() - started) / 1000;
    points = outcomes.map((outcome, index) => {
      const params = Object.fromEntries(grid[index]!.map((set) => {
        const key = set.slice(0, set.indexOf("="));
        return [key, configValue(configs[index]!, key)];
      }));
      const first = outcome.records[0];
      for (const lines of outcome.failures) for (const line of lines) console.error(line);
      return {
        params,
        run: first === undefined ? null : outcome.id,
        ...(outcome.grouped ? { replicates: outcome.records.map((record) => record.id) } : {}),
        metrics: outcome.metrics,
        stages: (first?.stages ?? []).map(({ name, status, reason, seconds }) => ({
          name,
          status,
          reason,
          seconds,
        })),
        seconds: first === undefined
          ? seconds
          : (Date.parse(first.finishedAt) - Date.parse(first.startedAt)) / 1000,
        ...(outcome.reports[0] === undefined ? {} : { report: outcome.reports[0] }),
        ...(outcome.failures.length === 0 ? {} : { error: outcome.failures[0]![0]! }),
      };
    });
    const figures = await sweepFigures(
      axes,
      points.map((point, index) => ({
        params: grid[index]!,
        metrics: point.metrics as Record<string, unknown>,
      })),
    );
    const files = new Map([...figures].map(([metric, png]) => [`${metric}.png`, png]));
    const id = newRunId();
    const folder = store.writeSweep(
      id,
      { id, axes, replicates, points } as unknown as JsonValue,
      files,
    );
    printTable(axes.filter((axis) => axis.values.length > 1).map((axis) => axis.key), points);
    console.error(`figures: ${folder}/{${[...figures.keys()].join(",")}}.png`);
  } finally {
    unlock();
    store.close();
  }
  if (values.json) console.log(JSON.stringify({ points }, null, 2));
  return points.some((point) => point.error !== undefined) ? 1 : 0;
});

function configValue(config: Record<string, unknown>, key: string): JsonValue {
  const [section, field] = key.split(".");
  const value = field === undefined
    ? config[section!]
    : (config[section!] as Record<string, unknown>)[field];
  return value as JsonValue;
}

function printTable(keys: readonly string[], points: readonly SweepPoint[]): void {
  const rows = points.map((point) => {
    const metrics = (point.metrics ?? {}) as Record<string, JsonValue>;
    return [
      ...keys.map((key) => JSON.stringify(point.params[key])),
      ...metricNames.map((name) => formatScore(metrics[name])),
      point.error === undefined ? point.seconds.toFixed(1) : "failed",
      point.report ?? "",
    ];
  });
  for (const line of textTable([...keys, ...metricNames, "seconds", "report"], rows)) {
    console.error(line);
  }
}
