/**
 * `deno task sweep --set KEY=V1,V2,... [--set ...] [--config FILE]`: runs
 * the grid of settings (every combination), sharing every cached stage
 * between points, then prints one table, draws each metric against the
 * swept setting and leaves a sweep record.
 *
 * @module
 */
import { join } from "node:path";
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder, ensureWritableFolder, userPath } from "../cli/user_paths.ts";
import { loadConfig } from "../config/config_file.ts";
import { ConfigError } from "../config/config_error.ts";
import { lockStore } from "../engine/store/lock.ts";
import { metricNames } from "../ml/metrics/metrics.ts";
import { projectRoot } from "../cli/project_root.ts";
import { openSession, pipelineRunOptions } from "../cli/pipeline_options.ts";
import { PipelineRun } from "../engine/runner.ts";
import type { JsonValue } from "../engine/stage.ts";
import { Store } from "../engine/store/store.ts";
import { sweepFigures } from "../report/sweep_figures.ts";
import { gridPoints, parseAxis } from "../cli/sweep_grid.ts";
import { textTable } from "../cli/text_table.ts";
import { configSchema } from "../stages/dag.ts";
import { errorMessage } from "../engine/error_message.ts";
import { newRunId } from "../engine/run_id.ts";

const usage = `Usage: deno task sweep --set KEY=V1,V2,... [--set ...] [--config FILE]
                        [--artifacts DIR] [--json]

Runs the pipeline once for every combination of the values, sharing the
cache: a sweep over cluster.k trains once and clusters once per k.
Example: deno task sweep --set cluster.k=6,8,10,12,14`;

/** One grid point's outcome. */
interface SweepPoint {
  params: Record<string, JsonValue>;
  run: string | null;
  metrics: JsonValue;
  stages: { name: string; status: string; reason: string; seconds: number }[];
  seconds: number;
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
  const grid = gridPoints(axes);
  // Every point's configuration is checked before anything runs.
  const configs = grid.map((sets) => loadConfig(configSchema, configFile, sets));
  const store = new Store(artifactsFolder(values.artifacts));
  ensureWritableFolder(store.root);
  const unlock = await lockStore(
    store.root,
    "shared",
    () => console.error("waiting for the garbage collection that holds the store…"),
  );
  const session = openSession(store, navigator.hardwareConcurrency);
  const points: SweepPoint[] = [];
  try {
    for (const [index, sets] of grid.entries()) {
      console.error(`— point ${index + 1}/${grid.length}: ${sets.join(" ")}`);
      const params = Object.fromEntries(sets.map((set) => {
        const key = set.slice(0, set.indexOf("="));
        return [key, configValue(configs[index]!, key)];
      }));
      const started = performance.now();
      try {
        const run = new PipelineRun(
          pipelineRunOptions(configs[index]!, values.config ?? "configs/seed.json", session),
        );
        const record = await run.execute();
        points.push({
          params,
          run: record.id,
          metrics: record.metrics,
          stages: record.stages.map(({ name, status, reason, seconds }) => ({
            name,
            status,
            reason,
            seconds,
          })),
          seconds: (performance.now() - started) / 1000,
        });
      } catch (error) {
        const message = errorMessage(error);
        console.error(`point ${sets.join(" ")} failed: ${message}`);
        points.push({ params, run: null, metrics: null, stages: [], seconds: 0, error: message });
      }
    }
    const figures = await sweepFigures(
      axes,
      points.map((point, index) => ({
        params: grid[index]!,
        metrics: point.metrics as Record<string, unknown>,
      })),
    );
    const files = new Map([...figures].map(([metric, png]) => [`${metric}.png`, png]));
    const id = newRunId();
    const folder = store.writeSweep(id, { id, axes, points } as unknown as JsonValue, files);
    printTable(axes.map((axis) => axis.key), points);
    console.error(`figures: ${folder}/{${[...figures.keys()].join(",")}}.png`);
  } finally {
    unlock();
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
    const metrics = (point.metrics ?? {}) as Record<string, unknown>;
    return [
      ...keys.map((key) => JSON.stringify(point.params[key])),
      ...metricNames.map((name) =>
        typeof metrics[name] === "number" ? (metrics[name] as number).toFixed(4) : "—"
      ),
      point.error === undefined ? point.seconds.toFixed(1) : "failed",
    ];
  });
  for (const line of textTable([...keys, ...metricNames, "seconds"], rows)) console.error(line);
}
