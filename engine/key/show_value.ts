/**
 * A setting's value as text: as the user would type it (for explanations,
 * diffs, tables), or quoted and shortened (for error messages, where a
 * string must be told apart from a number).
 *
 * @example
 * ```ts
 * import { showValue } from "./show_value.ts";
 *
 * if (showValue("kmeans") !== "kmeans" || showValue([784, 64]) !== "[784,64]") throw new Error();
 * if (showValue("12", "quoted") !== '"12"' || showValue(undefined, "quoted") !== "missing") {
 *   throw new Error();
 * }
 * if (showValue(1e400, "quoted") !== "Infinity") throw new Error("not null");
 * ```
 *
 * @module
 */

/**
 * `typed` (the default): strings bare, everything else as JSON, `(none)` when
 * absent. `quoted`: everything as JSON, cut to 60 characters, `missing`
 * when absent.
 */
export type ValueStyle = "typed" | "quoted";

/**
 * A value as text in the given style.
 *
 * @param value any JSON value, or undefined
 * @param style see {@link ValueStyle}
 * @returns the text
 */
export function showValue(value: unknown, style: ValueStyle = "typed"): string {
  // JSON has no Infinity or NaN and writes them as null; say what they are.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (style === "typed") {
    if (value === undefined) return "(none)";
    return typeof value === "string" ? value : JSON.stringify(value);
  }
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
