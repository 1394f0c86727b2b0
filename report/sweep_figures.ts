/**
 * The figures of a sweep: for every metric, one line chart of the metric
 * against the first swept setting, one line per combination of the
 * others, rasterised to PNG for `deno task sweep`.
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
  /** Its run's training-set metrics by name; null when the point failed. */
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
  for (const metric of metricNames) {
    const lines = new Map<string, number[]>();
    for (const point of points) {
      const name = point.params.slice(1).join(" ") || metric;
      const value = point.metrics?.[metric];
      const line = lines.get(name) ?? [];
      line.push(typeof value === "number" ? value : NaN);
      lines.set(name, line);
    }
    const figure = lineChartFigure({
      series: [...lines].map(([name, values]) => ({ name, values })),
      title: `${metric} against ${first.key}${
        others.length > 0 ? ` (lines: ${others.map((a) => a.key).join(", ")})` : ""
      }`,
      xLabel: `${first.key}: ${first.values.join(", ")} (in this order)`,
      yLabel: metric,
      width: 720,
      height: 400,
    });
    figures.set(metric, await rasterise(figure.svg));
  }
  return figures;
}
