/**
 * A configuration as a flat map of dotted keys, the form in which two
 * configurations are compared key by key (why a stage re-ran, what a diff
 * shows).
 *
 * @example
 * ```ts
 * import { flattenConfig } from "./flatten_config.ts";
 *
 * const flat = flattenConfig({ cluster: { k: 10 }, backend: "wasm" });
 * if (flat.get("cluster.k") !== 10 || flat.get("backend") !== "wasm") throw new Error();
 * ```
 *
 * @module
 */

/**
 * Every field of a configuration by its dotted key (`cluster.k`); top-level
 * fields keep their name.
 *
 * @param config sections of fields, and top-level fields
 * @returns dotted key → value
 */
export function flattenConfig(config: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [key, field] of Object.entries(value)) flat.set(`${name}.${key}`, field);
    } else {
      flat.set(name, value);
    }
  }
  return flat;
}
