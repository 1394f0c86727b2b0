/**
 * `deno task diff A B [--json] [--artifacts DIR]`: what changed between two
 * runs: the settings (old → new) and every metric with both values and the
 * change, on the training set, the test set and the baseline.
 *
 * @module
 */
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { artifactsFolder } from "../cli/user_paths.ts";
import { ConfigError } from "../config/config_error.ts";
import { metricChanges, parameterChanges } from "../cli/compare_runs.ts";
import { findRun } from "../cli/find_run.ts";
import { showValue } from "../engine/show_value.ts";
import { Store } from "../engine/store/store.ts";
import { textTable } from "../cli/text_table.ts";
import { configSchema } from "../stages/dag.ts";

const usage = `Usage: deno task diff A B [--json] [--artifacts DIR]

A and B name runs: a run id (or a unique start of it), 'latest', 'latest~N'
(N runs before the latest), or a configuration file (its latest run).
Example: deno task diff latest~1 latest`;

runCommand(() => {
  const { values, positionals } = parseCommandLine(
    Deno.args,
    {
      json: { type: "boolean" },
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
  const metrics = metricChanges(a.metrics, b.metrics);
  if (values.json) {
    console.log(JSON.stringify({ a: a.id, b: b.id, parameters, metrics }, null, 2));
    return Promise.resolve();
  }
  console.log(`A: ${a.id}    B: ${b.id}`);
  console.log("");
  if (parameters.length === 0) console.log("settings: the same");
  else {
    const rows = parameters.map((
      change,
    ) => [change.key, showValue(change.old), "→", showValue(change.new)]);
    for (const line of textTable(["setting", "A", "", "B"], rows)) console.log(line);
  }
  console.log("");
  const number = (value: number | null, sign = false) =>
    value === null
      ? "—"
      : `${sign && value > 0 ? "+" : ""}${Number.isInteger(value) ? value : value.toFixed(4)}`;
  const rows = metrics.map((
    metric,
  ) => [metric.name, number(metric.a), number(metric.b), number(metric.delta, true)]);
  for (const line of textTable(["metric", "A", "B", "B − A"], rows)) console.log(line);
  return Promise.resolve();
});
