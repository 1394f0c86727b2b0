/**
 * The metrics of a group of replicates (one configuration, several seeds)
 * summarised: each number becomes its mean, sample standard deviation, least
 * and greatest value, count and the values themselves, nested objects kept
 * as they are (`test.purity` is summarised under `test`).
 *
 * @example
 * ```ts
 * import { summarizeMetrics } from "./metric_summary.ts";
 *
 * const summary = summarizeMetrics([{ purity: 0.6, k: 10 }, { purity: 0.7, k: 10 }]) as {
 *   purity: { mean: number; n: number };
 * };
 * if (Math.abs(summary.purity.mean - 0.65) > 1e-12 || summary.purity.n !== 2) throw new Error();
 * ```
 *
 * @module
 */
import type { JsonValue } from "../engine/stage.ts";
import { mean, sampleVariance } from "../ml/welch.ts";

/** One metric over the replicates. */
export interface MetricSummary {
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
  readonly values: number[];
}

/**
 * The replicates' metrics as one object of the same shape, numbers replaced
 * by their {@link MetricSummary}. A number missing (or null) in some
 * replicates is summarised over those that have it.
 *
 * @param metrics each replicate's metrics
 * @returns the summary, or null when no replicate has metrics
 */
export function summarizeMetrics(metrics: readonly JsonValue[]): JsonValue {
  const objects = metrics.filter((value): value is Record<string, JsonValue> =>
    typeof value === "object" && value !== null && !Array.isArray(value)
  );
  if (objects.length === 0) return null;
  const summary: Record<string, JsonValue> = {};
  const keys = [...new Set(objects.flatMap((object) => Object.keys(object)))];
  for (const key of keys) {
    const entries = objects.map((object) => object[key]).filter((entry) => entry !== undefined);
    const numbers = entries.filter((entry): entry is number => typeof entry === "number");
    if (numbers.length > 0) {
      summary[key] = summarizeNumbers(numbers) as unknown as JsonValue;
    } else if (entries.some((entry) => typeof entry === "object" && entry !== null)) {
      summary[key] = summarizeMetrics(entries);
    } else {
      summary[key] = entries[0] ?? null;
    }
  }
  return summary;
}

/** The summary of some numbers. */
export function summarizeNumbers(values: readonly number[]): MetricSummary {
  return {
    mean: mean(values),
    sd: Math.sqrt(sampleVariance(values)),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
    values: [...values],
  };
}

/** True when `value` is a {@link MetricSummary} rather than a plain number. */
export function isMetricSummary(value: unknown): value is MetricSummary {
  return typeof value === "object" && value !== null && "mean" in value && "values" in value &&
    Array.isArray((value as MetricSummary).values);
}
