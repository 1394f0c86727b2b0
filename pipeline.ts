/**
 * `deno task pipeline`: resolves the configuration, runs the DAG of cached
 * stages under the store lock, and reports what ran, why, and the metrics.
 *
 * @module
 */
import { join } from "node:path";
import { parseCommandLine, runCommand } from "./cli/command_line.ts";
import {
  artifactsFolder,
  ensureWritableFolder,
  exportFolder,
  userFolder,
  userPath,
} from "./cli/user_paths.ts";
import { loadConfig } from "./config/config_file.ts";
import { exportRun } from "./cli/export_run.ts";
import { ConfigError } from "./config/config_error.ts";
import { lockStore } from "./engine/store/lock.ts";
import { metricsTable } from "./cli/metrics_table.ts";
import { didYouMean } from "./config/did_you_mean.ts";
import { projectRoot } from "./cli/project_root.ts";
import { openSession, pipelineRunOptions } from "./experiments/pipeline_session.ts";
import { executorOption, runPoints } from "./experiments/run_points.ts";
import { requireSlurm } from "./experiments/slurm_executor.ts";
import type { SlurmConfig } from "./experiments/slurm_section.ts";
import { countOption, jobsOption } from "./cli/jobs_option.ts";
import { PipelineRun } from "./engine/runner.ts";
import { Store } from "./engine/store/store.ts";
import { configSchema, pipeline, pipelineStages } from "./stages/dag.ts";
import { preflight } from "./stages/preflight.ts";

const usage = `Usage: deno task pipeline [options]

Runs load → normalise → train → encode → manifold → cluster → evaluate →
render (and the pixel baseline), serving every stage whose inputs,
configuration and code are unchanged from the cache.

Options:
  --config FILE     configuration file (default: configs/seed.json)
  --set KEY=VALUE   override one setting, e.g. --set cluster.k=12 (repeatable)
  --artifacts DIR   the cache folder (default: $ENCLUSTER_ARTIFACTS or ./artifacts)
  --force STAGE     run STAGE even if cached; 'all' for every stage (repeatable)
  --dry-run         say what would run, and why, without running anything
  --export DIR      write encoding.npy, labels.npy, assignments.npy, centroids.npy,
                    metrics.json, the figures and report.html to DIR
  --json            print one JSON document on stdout (logs stay on stderr)
  --jobs N          cores to use: stages that are ready run side by side within
                    N cores (default: the number of cores, ${navigator.hardwareConcurrency})
  --replicates N    run the configuration N times, with the training, manifold and
                    cluster seeds offset by 0..N−1; metrics become mean ± sd, and
                    the group's id names it in diff, runs and --export
  --executor E      local (default): run here; slurm: each replicate a job of a Slurm
                    job array on the same store (resources: the slurm section,
                    e.g. --set slurm.memory=8G)
  --verbose         say why faster backends did not load
  --help            this text

Stages: ${pipelineStages.map((stage) => stage.name).join(", ")}`;

runCommand(async () => {
  const { values } = parseCommandLine(
    Deno.args,
    {
      config: { type: "string" },
      set: { type: "string", multiple: true },
      artifacts: { type: "string" },
      force: { type: "string", multiple: true },
      "dry-run": { type: "boolean" },
      export: { type: "string" },
      json: { type: "boolean" },
      jobs: { type: "string" },
      replicates: { type: "string" },
      executor: { type: "string" },
      verbose: { type: "boolean" },
    },
    false,
    usage,
  );
  if (values.verbose) Deno.env.set("ENCLUSTER_VERBOSE", "1");
  const configFile = values.config === undefined
    ? join(projectRoot, "configs", "seed.json")
    : userPath(values.config);
  const config = loadConfig(configSchema, configFile, values.set ?? [], userFolder());
  const force = forcedStages(values.force ?? []);
  const replicates = countOption("--replicates", values.replicates, 1);
  const executor = executorOption(values.executor);
  // The data-dependent checks, before anything runs; replicates differ only in seeds.
  await preflight([config]);
  const store = new Store(artifactsFolder(values.artifacts));
  const exportTo = values.export === undefined
    ? undefined
    : exportFolder(values.export, store.root);
  const log = (line: string) => console.error(line);
  const session = openSession(store, jobsOption(values.jobs));
  const configName = values.config ?? "configs/seed.json";

  if (values["dry-run"]) {
    const options = pipelineRunOptions(config, configName, session, force);
    const planned = await new PipelineRun(options).plan();
    const width = Math.max(...planned.map((stage) => stage.name.length));
    for (const stage of planned) {
      log(
        `${stage.name.padEnd(width)}  ${stage.status}${
          stage.reason === "" ? "" : ` — ${stage.reason}`
        }`,
      );
    }
    if (replicates > 1) log(`(and ${replicates - 1} more replicates with their seeds offset)`);
    if (values.json) {
      console.log(JSON.stringify({ dryRun: true, config, stages: planned }, null, 2));
    }
    return;
  }

  if (executor === "slurm" && exportTo !== undefined) {
    throw new ConfigError(
      "--export needs the runs in this process: run with --executor local, or export once the " +
        "jobs are done (the same command with --export and --executor local is served from the cache)",
    );
  }
  if (executor === "slurm") await requireSlurm();
  ensureWritableFolder(store.root);
  if (exportTo !== undefined) ensureWritableFolder(exportTo, "the export folder");
  const unlock = await lockStore(
    store.root,
    "shared",
    () => log("waiting for the garbage collection that holds the store…"),
  );
  try {
    const [outcome] = await runPoints(
      [{ config, configFile: configName, replicates, force }],
      executor,
      session,
      config.slurm as SlurmConfig,
      log,
    );
    const result = outcome!;
    if (result.grouped) {
      const succeeded = result.records.filter((record) => record.status === "succeeded").length;
      log(`${succeeded} of ${replicates} replicates (mean ± sd over seeds):`);
    }
    for (const line of metricsTable(result.metrics)) log(line);
    for (const report of result.reports) log(`report: ${report}`);
    if (exportTo !== undefined) {
      const plan = { arrays: pipeline.exports, figures: pipeline.figures };
      const finished = (result.local ?? []).filter((replicate) => replicate.failure === undefined);
      for (const [index, { run, record, html }] of finished.entries()) {
        const folder = result.grouped ? join(exportTo, `replicate-${index}`) : exportTo;
        const files = await exportRun(run, record, folder, html!, plan);
        log(`exported to ${folder}: ${files.join(", ")}`);
      }
      if (result.grouped) {
        Deno.writeTextFileSync(
          join(exportTo, "metrics.json"),
          JSON.stringify(result.metrics, null, 2) + "\n",
        );
      }
    }
    if (values.json) {
      const first = result.records[0];
      console.log(JSON.stringify(
        {
          run: result.id,
          ...(result.grouped ? { replicates: result.records.map((record) => record.id) } : {}),
          config,
          stages: (first?.stages ?? []).map(({ name, status, reason, seconds }) => ({
            name,
            status,
            reason,
            seconds,
          })),
          metrics: result.metrics,
        },
        null,
        2,
      ));
    }
    if (result.failures.length > 0) {
      for (const lines of result.failures) for (const line of lines) log(line);
      throw new Error(
        `${result.failures.length} of ${replicates} run${replicates === 1 ? "" : "s"} failed`,
      );
    }
  } finally {
    unlock();
    store.close();
  }
});

/** `--force` values as a set of stage names, or "all". */
function forcedStages(names: readonly string[]): ReadonlySet<string> | "all" | undefined {
  if (names.length === 0) return undefined;
  if (names.includes("all")) return "all";
  const known = pipelineStages.map((stage) => stage.name);
  for (const name of names) {
    if (!known.includes(name)) {
      const suggestion = didYouMean(name, known);
      throw new ConfigError(
        `--force names unknown stage '${name}'${
          suggestion ? ` (did you mean '${suggestion}'?)` : ""
        }: ` +
          `use one of ${known.join(", ")} or 'all'`,
      );
    }
  }
  return new Set(names);
}
