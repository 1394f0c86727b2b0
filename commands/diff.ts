/**
 * `deno task diff A B [--all] [--json] [--artifacts DIR]`: what changed
 * between two runs or groups of replicates: the settings (old → new), the
 * stages whose cache keys differ (what re-ran going from A to B), and the
 * metrics. Between two groups it gives each metric's difference of means
 * with Welch's 95% interval and says whether it is beyond seed noise;
 * between single runs it says that one seed cannot tell.
 *
 * @module
 */
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder } from "../cli/user_paths.ts";
import { ConfigError } from "../config/config_error.ts";
import { type MetricChange, metricChanges, parameterChanges } from "../experiments/compare_runs.ts";
import type { Experiment } from "../experiments/history.ts";
import { findRun } from "../experiments/find_run.ts";
import { showValue } from "../engine/key/show_value.ts";
import { Store } from "../engine/store/store.ts";
import { textTable } from "../cli/text_table.ts";
import { configSchema } from "../stages/dag.ts";

const usage = `Usage: deno task diff A B [--all] [--json] [--artifacts DIR]

A and B name runs or groups of replicates: an id (or a unique start of it),
'latest', 'latest~N' (N entries before the latest), or a configuration file
(its latest run). Shows the settings and metrics that changed (--all: every
metric). Between two groups (pipeline --replicates N), each metric's
difference of means comes with a 95% interval (Welch's t) and a verdict.
Example: deno task diff latest~1 latest`;

runCommand(() => {
  const { values, positionals } = parseCommandLine(
    Deno.args,
    {
      json: { type: "boolean" },
      all: { type: "boolean" },
      artifacts: { type: "string" },
    },
    true,
    usage,
  );
  if (positionals.length !== 2) {
    throw new ConfigError(`diff compares two runs, got ${positionals.length} names\n\n${usage}`);
  }
  const runs = new Store(artifactsFolder(values.artifacts), { readOnly: true }).listRuns();
  const a = findRun(positionals[0]!, runs, configSchema);
  const b = findRun(positionals[1]!, runs, configSchema);
  const parameters = parameterChanges(a.config, b.config);
  const stages = changedStages(a, b);
  const metrics = metricChanges(
    a.runs.map((run) => run.metrics),
    b.runs.map((run) => run.metrics),
    [a.grouped, b.grouped],
  );
  if (values.json) {
    console.log(JSON.stringify({ a: a.id, b: b.id, parameters, stages, metrics }, null, 2));
    return Promise.resolve();
  }
  console.log(`A: ${describe(a)}    B: ${describe(b)}`);
  console.log("");
  if (parameters.length === 0) console.log("settings: the same");
  else {
    const rows = parameters.map((change) => [
      change.key,
      showValue(change.old),
      "→",
      showValue(change.new),
    ]);
    for (const line of textTable(["setting", "A", "", "B"], rows)) console.log(line);
  }
  console.log("");
  console.log(
    stages.length === 0
      ? "stages: every cache key the same"
      : `stages with other cache keys (they re-ran from A to B): ${stages.join(", ")}`,
  );
  console.log("");
  const shown = values.all ? metrics : metrics.filter(changed);
  const grouped = a.grouped && b.grouped;
  if (shown.length === 0) console.log("metrics: the same");
  else {
    const header = grouped
      ? ["metric", "A (mean)", "B (mean)", "B − A", "95% interval", ""]
      : ["metric", "A", "B", "B − A"];
    const rows = shown.map((metric) =>
      grouped
        ? [
          metric.name,
          number(metric.a),
          number(metric.b),
          number(metric.delta, true),
          metric.ci95 === undefined
            ? "—"
            : `[${number(metric.ci95[0], true)}, ${number(metric.ci95[1], true)}]`,
          verdict(metric),
        ]
        : [metric.name, number(metric.a), number(metric.b), number(metric.delta, true)]
    );
    for (const line of textTable(header, rows)) console.log(line);
  }
  const unchanged = metrics.length - metrics.filter(changed).length;
  if (!values.all && unchanged > 0) {
    console.log(`(${unchanged} metrics unchanged; --all shows them)`);
  }
  if (!grouped) {
    console.log("");
    console.log(
      "One seed cannot tell whether this is more than the noise between training seeds: " +
        "run both with --replicates N (N ≥ 2) and diff the groups.",
    );
  }
  return Promise.resolve();
});

function describe(experiment: Experiment): string {
  return experiment.grouped
    ? `${experiment.id} (${experiment.runs.length} replicates)`
    : experiment.id;
}

/** The stages whose cache keys differ between A and B (for groups, their first replicates). */
function changedStages(a: Experiment, b: Experiment): string[] {
  const keysA = new Map(a.runs[0]!.stages.map((stage) => [stage.name, stage.key]));
  return b.runs[0]!.stages.filter((stage) => keysA.get(stage.name) !== stage.key).map((stage) =>
    stage.name
  );
}

function changed(metric: MetricChange): boolean {
  return metric.delta === null ? metric.a !== metric.b : metric.delta !== 0;
}

function verdict(metric: MetricChange): string {
  if (metric.beyondNoise === undefined) return "too few replicates to tell";
  return metric.beyondNoise ? "beyond seed noise" : "within seed noise";
}

function number(value: number | null, sign = false): string {
  if (value === null) return "—";
  return `${sign && value > 0 ? "+" : ""}${Number.isInteger(value) ? value : value.toFixed(4)}`;
}
