/**
 * Canonical JSON: one text for one value, whatever the order its keys were
 * set in. Cache keys and stored JSON outputs are hashed in this form.
 *
 * @module
 */
/**
 * JSON with object keys sorted at every level, so that equal values always
 * serialise to equal bytes: what cache keys and stored JSON objects hash.
 *
 * @param value any JSON-compatible value
 * @param indent spaces of indentation (0: one line)
 * @returns the canonical text
 * @example
 * ```ts
 * import { canonicalJson } from "./canonical_json.ts";
 *
 * const text = canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] });
 * if (text !== '{"a":[2,{"c":4,"d":3}],"b":1}') throw new Error(text);
 * ```
 */
export function canonicalJson(value: unknown, indent = 0): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) sorted[key] = sortKeys(entry);
  }
  return sorted;
}
