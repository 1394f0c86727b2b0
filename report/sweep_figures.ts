/**
 * The figures of a sweep: for every metric, one line chart of the metric
 * against the first swept setting (at its values when they are numbers),
 * one line per combination of the others, with error bars of one standard
 * deviation where points are groups of replicates, rasterised to PNG for
 * `deno task sweep`.
 *
 * @module
 */
import { lineChartFigure } from "./figures/line_chart.ts";
import { metricNames } from "../ml/metrics/metrics.ts";
import { rasterise } from "./rasterise.ts";

/** One finished sweep point: its settings and its training-set metrics. */
export interface SweepPointMetrics {
  /** `KEY=VALUE` for each axis, in axis order. */
  readonly params: readonly string[];
  /**
   * Its training-set metrics by name (numbers, or for replicates summaries
   * with `mean` and `sd`); null when the point failed.
   */
  readonly metrics: Readonly<Record<string, unknown>> | null;
}

/**
 * One PNG per metric: the metric against the first swept setting, one line
 * for each combination of the other settings.
 *
 * @returns metric name → PNG bytes
 */
export async function sweepFigures(
  axes: readonly { readonly key: string; readonly values: readonly string[] }[],
  points: readonly SweepPointMetrics[],
): Promise<Map<string, Uint8Array>> {
  const [first, ...others] = axes;
  const figures = new Map<string, Uint8Array>();
  if (first === undefined) return figures;
  const numbers = first.values.map((value) => Number(value));
  const numeric = numbers.every((value) => Number.isFinite(value));
  for (const metric of metricNames) {
    const lines = new Map<string, { values: number[]; errors: number[] }>();
    for (const point of points) {
      const name = point.params.slice(1).join(" ") || metric;
      const { value, error } = meanAndError(point.metrics?.[metric]);
      const line = lines.get(name) ?? { values: [], errors: [] };
      line.values.push(value);
      line.errors.push(error);
      lines.set(name, line);
    }
    const figure = lineChartFigure({
      series: [...lines].map(([name, line]) => ({ name, ...line })),
      title: `${metric} against ${first.key}${
        others.length > 0 ? ` (lines: ${others.map((a) => a.key).join(", ")})` : ""
      }`,
      xLabel: first.key,
      ...(numeric ? { xValues: numbers } : { xTickLabels: first.values }),
      yLabel: metric,
      width: 720,
      height: 400,
    });
    figures.set(metric, await rasterise(figure.svg));
  }
  return figures;
}

/** A point's value and error bar: a number has none; a summary its mean ± sd. */
function meanAndError(value: unknown): { value: number; error: number } {
  if (typeof value === "number") return { value, error: 0 };
  if (typeof value === "object" && value !== null && "mean" in value && "sd" in value) {
    const { mean, sd } = value as { mean: unknown; sd: unknown };
    if (typeof mean === "number" && typeof sd === "number") return { value: mean, error: sd };
  }
  return { value: NaN, error: 0 };
}
