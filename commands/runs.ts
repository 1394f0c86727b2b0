/**
 * `deno task runs`: the run history and its management.
 *
 *     deno task runs [--json]             newest first: id, date, status, the
 *                                         headline metrics (mean ± sd for a
 *                                         group of replicates), name and tags,
 *                                         the settings that differ from the defaults
 *     deno task runs --table [--json]     many runs side by side, as `dvc exp show`:
 *                                         a column per setting that differs between them
 *     deno task runs ID... --name N --tag T   names or tags runs (kept by `gc`)
 *     deno task runs rm ID...             removes run records (a group's id removes
 *                                         its replicates); `gc` then frees what
 *                                         nothing else uses
 *
 * @module
 */
import { join } from "node:path";
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder } from "../cli/user_paths.ts";
import { loadConfig } from "../config/config_file.ts";
import { ConfigError } from "../config/config_error.ts";
import { projectRoot } from "../cli/project_root.ts";
import { parameterChanges } from "../experiments/compare_runs.ts";
import { type Experiment, experimentHistory } from "../experiments/history.ts";
import { findRun } from "../experiments/find_run.ts";
import { formatScore } from "../cli/metrics_table.ts";
import { flattenConfig } from "../engine/key/flatten_config.ts";
import { showValue } from "../engine/key/show_value.ts";
import type { JsonValue } from "../engine/stage.ts";
import { lockStore } from "../engine/store/lock.ts";
import { pruneReports } from "../report/run_report.ts";
import { Store } from "../engine/store/store.ts";
import { textTable } from "../cli/text_table.ts";
import { metricNames } from "../ml/metrics/metrics.ts";
import { configSchema } from "../stages/dag.ts";

const usage = `Usage: deno task runs [--table] [--json] [--artifacts DIR]
       deno task runs ID... [--name NAME] [--tag TAG]...
       deno task runs rm ID...

Lists the runs in the artifacts folder, newest first (a group of replicates
is one entry, its metrics mean ± sd). --table puts the settings that differ
between the runs in columns. --name and --tag label runs, which 'gc
--keep-last N' then keeps. 'rm' removes run records; 'gc' frees their cache.`;

runCommand(async () => {
  const { values, positionals } = parseCommandLine(
    Deno.args,
    {
      json: { type: "boolean" },
      table: { type: "boolean" },
      name: { type: "string" },
      tag: { type: "string", multiple: true },
      artifacts: { type: "string" },
    },
    true,
    usage,
  );
  const labelling = values.name !== undefined || values.tag !== undefined;
  const removing = positionals[0] === "rm";
  if (!removing && !labelling && positionals.length > 0) {
    throw new ConfigError(
      `runs takes run ids only with rm, --name or --tag: got '${positionals[0]}'\n\n${usage}`,
    );
  }
  const root = artifactsFolder(values.artifacts);
  if (removing || labelling) {
    const ids = removing ? positionals.slice(1) : positionals;
    if (ids.length === 0) throw new ConfigError(`name the runs to change\n\n${usage}`);
    const store = new Store(root);
    store.requireStore();
    const unlock = await lockStore(root, "shared", () => {});
    try {
      const runs = store.listRuns();
      const chosen = ids.map((id) => findRun(id, runs, configSchema)); // all found before any change
      for (const experiment of chosen) {
        for (const run of experiment.runs) {
          if (removing) store.removeRun(run.id);
          else {
            store.writeRun({
              ...run,
              ...(values.name === undefined ? {} : { name: values.name }),
              tags: [...new Set([...(run.tags ?? []), ...(values.tag ?? [])])],
            });
          }
        }
        console.error(`${removing ? "removed" : "labelled"} ${describe(experiment)}`);
      }
      if (removing) pruneReports(store.root);
    } finally {
      unlock();
      store.close();
    }
    return;
  }

  const store = new Store(root, { readOnly: true });
  const history = experimentHistory(store.listRuns()).reverse();
  if (values.table) return printTable(history, values.json ?? false);
  const defaults = loadConfig(configSchema, join(projectRoot, "configs", "seed.json"), []);
  const entries = history.map((experiment) => ({
    id: experiment.id,
    startedAt: experiment.startedAt,
    status: experiment.status,
    replicates: experiment.grouped ? experiment.runs.map((run) => run.id) : undefined,
    name: experiment.runs[0]!.name,
    tags: experiment.runs[0]!.tags ?? [],
    changes: parameterChanges(defaults, experiment.config as Record<string, unknown>)
      .map(({ key, new: value }) => ({ key, value })),
    purity: score(experiment.metrics, "purity"),
    accuracy: score(experiment.metrics, "accuracy"),
    nmi: score(experiment.metrics, "nmi"),
    ran: experiment.runs[0]!.stages.filter((stage) => stage.status === "ran").length,
    cached: experiment.runs[0]!.stages.filter((stage) => stage.status === "cached").length,
  }));
  if (values.json) {
    console.log(JSON.stringify({ runs: entries }, null, 2));
    return;
  }
  if (entries.length === 0) {
    console.error(`no runs in ${store.root} yet: 'deno task pipeline' makes one`);
    return;
  }
  const rows = entries.map((entry) => [
    entry.replicates === undefined ? entry.id : `${entry.id} ×${entry.replicates.length}`,
    entry.startedAt.slice(0, 16).replace("T", " "),
    entry.status === "failed" ? "FAILED" : "",
    formatScore(entry.purity),
    formatScore(entry.accuracy),
    formatScore(entry.nmi),
    `${entry.ran}/${entry.cached}`,
    [entry.name ?? "", ...entry.tags.map((tag) => `#${tag}`)].join(" ").trim(),
    entry.changes.map(({ key, value }) => `${key}=${showValue(value)}`).join(" ") || "(defaults)",
  ]);
  const header = [
    "run",
    "date (UTC)",
    "",
    "purity",
    "accuracy",
    "nmi",
    "ran/cached",
    "name",
    "settings",
  ];
  for (const line of textTable(header, rows)) console.log(line);
});

/** Many runs side by side: a column per setting that differs between them, then the metrics. */
function printTable(history: readonly Experiment[], json: boolean): void {
  const flat = history.map((experiment) => flattenConfig(experiment.config));
  const keys = [...new Set(flat.flatMap((config) => [...config.keys()]))].filter((key) =>
    new Set(flat.map((config) => JSON.stringify(config.get(key)))).size > 1
  );
  const table = history.map((experiment, index) => ({
    id: experiment.id,
    replicates: experiment.runs.length,
    settings: Object.fromEntries(keys.map((key) => [key, flat[index]!.get(key) ?? null])),
    metrics: Object.fromEntries(
      metricNames.map((name) => [name, score(experiment.metrics, name)]),
    ),
  }));
  if (json) {
    console.log(JSON.stringify({ settings: keys, runs: table }, null, 2));
    return;
  }
  const rows = table.map((entry) => [
    entry.replicates > 1 ? `${entry.id} ×${entry.replicates}` : entry.id,
    ...keys.map((key) => showValue(entry.settings[key])),
    ...metricNames.map((name) => formatScore(entry.metrics[name] as JsonValue)),
  ]);
  for (const line of textTable(["run", ...keys, ...metricNames], rows)) console.log(line);
}

function score(metrics: JsonValue, name: string): JsonValue {
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) return null;
  return metrics[name] ?? null;
}

function describe(experiment: Experiment): string {
  return experiment.grouped
    ? `group ${experiment.id} (${experiment.runs.length} replicates)`
    : `run ${experiment.id}`;
}
