/**
 * What differs between two runs: the settings that changed and each metric
 * side by side, the data behind `deno task diff` and `deno task runs`.
 *
 * @module
 */
import { flattenConfig } from "../engine/key/flatten_config.ts";
import type { JsonValue } from "../engine/stage.ts";
import { mean, welchInterval } from "../ml/welch.ts";

/** One parameter that differs between two configurations. */
export interface ParameterChange {
  readonly key: string;
  readonly old: unknown;
  readonly new: unknown;
}

/** One metric of two runs or groups of replicates. */
export interface MetricChange {
  /** Dotted: `purity`, `test.nmi`, `baseline.ari`. */
  readonly name: string;
  /** A's value, or the mean over A's replicates. */
  readonly a: number | null;
  readonly b: number | null;
  /** b − a (of the means), when both are there. */
  readonly delta: number | null;
  /** When both sides are groups of at least 2: Welch's 95% interval of the difference. */
  readonly ci95?: readonly [number, number];
  /** When both sides are groups: whether that interval excludes 0. */
  readonly beyondNoise?: boolean;
  /** When both sides are groups: how many replicates have the metric on each side. */
  readonly n?: readonly [number, number];
}

/**
 * The settings that differ between two configurations, by dotted key, in
 * the configuration's own order.
 */
export function parameterChanges(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): ParameterChange[] {
  const flatA = flattenConfig(a);
  const flatB = flattenConfig(b);
  const keys = [...new Set([...flatA.keys(), ...flatB.keys()])];
  return keys
    .filter((key) => JSON.stringify(flatA.get(key)) !== JSON.stringify(flatB.get(key)))
    .map((key) => ({ key, old: flatA.get(key), new: flatB.get(key) }));
}

/**
 * Every numeric metric of two experiments side by side (training set first,
 * then `test.*`, then `baseline.*`), with the change from A to B; for two
 * groups of replicates, the means and Welch's 95% interval of their
 * difference.
 *
 * @param a the runs of A (one, or its replicates)
 * @param b the runs of B
 * @param grouped whether A and B are groups of replicates
 * @returns one entry per metric
 */
export function metricChanges(
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  grouped: readonly [boolean, boolean] = [false, false],
): MetricChange[] {
  const valuesA = metricValues(a);
  const valuesB = metricValues(b);
  return [...new Set([...valuesA.keys(), ...valuesB.keys()])].map((name) => {
    const seenA = valuesA.get(name) ?? [];
    const seenB = valuesB.get(name) ?? [];
    const meanA = seenA.length === 0 ? null : mean(seenA);
    const meanB = seenB.length === 0 ? null : mean(seenB);
    const delta = meanA === null || meanB === null ? null : meanB - meanA;
    if (!(grouped[0] && grouped[1])) return { name, a: meanA, b: meanB, delta };
    const n = [seenA.length, seenB.length] as const;
    if (seenA.length < 2 || seenB.length < 2) return { name, a: meanA, b: meanB, delta, n };
    const interval = welchInterval(seenA, seenB);
    return {
      name,
      a: meanA,
      b: meanB,
      delta,
      ci95: [interval.low, interval.high] as const,
      beyondNoise: interval.beyondNoise,
      n,
    };
  });
}

/** Each metric's values over some runs' metrics, by dotted name. */
function metricValues(metrics: readonly JsonValue[]): Map<string, number[]> {
  const values = new Map<string, number[]>();
  for (const run of metrics) {
    for (const [name, value] of numericLeaves(run)) {
      values.set(name, [...(values.get(name) ?? []), value]);
    }
  }
  return values;
}

/** The numbers in a metrics object by dotted path (nested objects, not arrays). */
export function numericLeaves(value: JsonValue, prefix = ""): Map<string, number> {
  const leaves = new Map<string, number>();
  if (typeof value !== "object" || value === null || Array.isArray(value)) return leaves;
  for (const [key, entry] of Object.entries(value)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof entry === "number") leaves.set(name, entry);
    else for (const [inner, number] of numericLeaves(entry, name)) leaves.set(inner, number);
  }
  return leaves;
}
