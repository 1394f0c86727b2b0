/**
 * `sweep`'s grid: each `--set KEY=V1,V2,...` an axis, and every combination
 * of their values a point.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import { parseSet } from "../config/config.ts";

/** One swept setting and the values it takes. */
export interface SweepAxis {
  readonly key: string;
  /** The values as typed, one `--set KEY=VALUE` each. */
  readonly values: readonly string[];
}

/**
 * Reads `--set KEY=V1,V2,...` into an axis. Commas inside brackets or quotes
 * belong to the value: `train.encoderLayers=[500,500],[256]` is two values.
 *
 * @throws {ConfigError} when there is no `=` or an empty value
 */
export function parseAxis(set: string): SweepAxis {
  const equals = set.indexOf("=");
  if (equals <= 0) {
    throw new ConfigError(
      `--set expects KEY=V1,V2,..., for example --set cluster.k=6,8,10: got '${set}'`,
    );
  }
  const key = set.slice(0, equals).trim();
  const values = splitTopLevel(set.slice(equals + 1));
  if (values.some((value) => value.trim() === "")) {
    throw new ConfigError(`--set ${set} has an empty value: separate values with single commas`);
  }
  return { key, values: values.map((value) => value.trim()) };
}

/**
 * Every combination of the axes' values (the cartesian product), the first
 * axis varying slowest, as `KEY=VALUE` strings for `--set`.
 *
 * @throws {ConfigError} when two axes set the same key, or an axis repeats a
 *   value: either would run a point twice, or run other points than asked
 */
export function gridPoints(axes: readonly SweepAxis[]): string[][] {
  const keys = new Set<string>();
  for (const axis of axes) {
    if (keys.has(axis.key)) {
      throw new ConfigError(
        `--set ${axis.key}=… is given twice: give one axis per key, with all its values ` +
          `(--set ${axis.key}=${axes.filter((a) => a.key === axis.key).flatMap((a) => a.values)})`,
      );
    }
    keys.add(axis.key);
    const seen = new Map<string, string>();
    for (const value of axis.values) {
      const same = seen.get(sameValue(axis.key, value));
      if (same !== undefined) {
        throw new ConfigError(
          `--set ${axis.key}=${axis.values.join(",")} gives the value ${
            same === value ? `'${value}'` : `'${same}' and '${value}'`
          } twice: list each value once`,
        );
      }
      seen.set(sameValue(axis.key, value), value);
    }
  }
  let points: string[][] = [[]];
  for (const axis of axes) {
    points = points.flatMap((point) =>
      axis.values.map((value) => [...point, `${axis.key}=${value}`])
    );
  }
  return points;
}

/** Values that `--set` reads alike (`6`, `6.0` and ` 6`) compare equal. */
function sameValue(key: string, value: string): string {
  return JSON.stringify(parseSet(`${key}=${value}`).value);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"' && text[i - 1] !== "\\") quoted = !quoted;
    else if (!quoted && (char === "[" || char === "{")) depth++;
    else if (!quoted && (char === "]" || char === "}")) depth--;
    else if (!quoted && depth === 0 && char === ",") {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
