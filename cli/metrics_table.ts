/**
 * A run's metrics as a compact text table, as `pipeline` prints it.
 *
 * @module
 */
import type { JsonValue } from "../engine/stage.ts";
import { textTable } from "./text_table.ts";
import { isMetricSummary } from "../experiments/metric_summary.ts";

import { metricNames } from "../ml/metrics/metrics.ts";

/** Which sets of scores a run's metrics hold, by their key. */
const rows = [
  ["train", null],
  ["test", "test"],
  ["baseline", "baseline"],
] as const;

/**
 * The run's metrics as a compact text table: one row per set (train, test,
 * baseline), one column per score, plus k and n.
 *
 * @param metrics the `metrics` of a run record
 * @returns the table's lines, or none when there are no metrics
 */
export function metricsTable(metrics: JsonValue): string[] {
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) return [];
  const header = ["", ...metricNames, "k", "n"];
  const body: string[][] = [];
  for (const [label, key] of rows) {
    const scores = key === null ? metrics : metrics[key];
    if (typeof scores !== "object" || scores === null || Array.isArray(scores)) continue;
    body.push([
      label,
      ...metricNames.map((name) => formatScore(scores[name])),
      formatCount(scores.k),
      formatCount(scores.n),
    ]);
  }
  return textTable(header, body);
}

/** A score as a table shows it: `0.6781`, or `0.6781 ± 0.0412` over replicates. */
export function formatScore(value: JsonValue | undefined): string {
  if (typeof value === "number") return value.toFixed(4);
  if (isMetricSummary(value)) return `${value.mean.toFixed(4)} ± ${value.sd.toFixed(4)}`;
  return "—";
}

/** A count (k, n): as it is, or its mean over replicates. */
function formatCount(value: JsonValue | undefined): string {
  if (typeof value === "number") return String(value);
  if (isMetricSummary(value)) return String(Math.round(value.mean * 100) / 100);
  return "";
}
