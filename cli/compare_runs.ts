/**
 * What differs between two runs: the settings that changed and each metric
 * side by side, the data behind `deno task diff` and `deno task runs`.
 *
 * @module
 */
import { flattenConfig } from "../engine/flatten_config.ts";
import type { JsonValue } from "../engine/stage.ts";

/** One parameter that differs between two configurations. */
export interface ParameterChange {
  readonly key: string;
  readonly old: unknown;
  readonly new: unknown;
}

/** One metric of two runs. */
export interface MetricChange {
  /** Dotted: `purity`, `test.nmi`, `baseline.ari`. */
  readonly name: string;
  readonly a: number | null;
  readonly b: number | null;
  /** b − a, when both are there. */
  readonly delta: number | null;
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
 * Every numeric metric of two runs side by side (training set first, then
 * `test.*`, then `baseline.*`), with the change from a to b.
 */
export function metricChanges(a: JsonValue, b: JsonValue): MetricChange[] {
  const flatA = numericLeaves(a);
  const flatB = numericLeaves(b);
  return [...new Set([...flatA.keys(), ...flatB.keys()])].map((name) => {
    const valueA = flatA.get(name) ?? null;
    const valueB = flatB.get(name) ?? null;
    const delta = valueA === null || valueB === null ? null : valueB - valueA;
    return { name, a: valueA, b: valueB, delta };
  });
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
