/**
 * Resolving a configuration: defaults, then a file's values, then each
 * `--set`, every value checked against the schema, with errors that name the
 * key, the value seen and what would be right.
 *
 * @module
 */
import { resolve } from "node:path";
import { ConfigError } from "./config_error.ts";
import { showValue } from "../engine/key/show_value.ts";
import { didYouMean } from "./did_you_mean.ts";
import type { ConfigSchema, FieldSchema, SectionSchema } from "./schema.ts";
import { isField } from "./schema.ts";

/** A resolved configuration: every section and field, defaults applied. */
export type Config = Record<string, unknown>;

/**
 * The configuration with every field at its default.
 *
 * @param schema the pipeline's configuration schema
 * @returns a fresh configuration object
 */
export function defaultConfig(schema: ConfigSchema): Config {
  const config: Config = {};
  for (const [name, entry] of Object.entries(schema)) {
    if (isField(entry)) {
      config[name] = structuredClone(entry.default);
    } else {
      const section: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(entry)) {
        section[key] = structuredClone(field.default);
      }
      config[name] = section;
    }
  }
  return config;
}

/**
 * Where relative paths (fields marked `isPath`) are resolved from: the
 * configuration file's folder for its values, the user's folder for `--set`.
 * Without one, paths stay as given.
 */
export interface PathBases {
  readonly file?: string;
  readonly sets?: string;
}

/**
 * Resolves a configuration: defaults, then the file's values, then each
 * `--set KEY=VALUE` in order, every value checked against the schema.
 *
 * @param schema the pipeline's configuration schema
 * @param file the parsed configuration file (sections of values), or `{}`
 * @param sets `KEY=VALUE` strings; values parse as JSON where they can
 * @param fileName named in errors about the file's contents
 * @param bases the folders relative paths are resolved from
 * @returns the resolved configuration
 * @throws {ConfigError} naming the key, the value seen and what is allowed
 */
export function resolveConfig(
  schema: ConfigSchema,
  file: unknown,
  sets: readonly string[] = [],
  fileName = "configuration",
  bases: PathBases = {},
): Config {
  const config = defaultConfig(schema);
  if (typeof file !== "object" || file === null || Array.isArray(file)) {
    throw new ConfigError(
      `${fileName} must hold a JSON object of sections, got ${showValue(file, "quoted")}`,
    );
  }
  for (const [name, value] of Object.entries(file)) {
    if (name.startsWith("$")) continue; // "$comment" and friends document a file
    assign(schema, config, [name], value, { where: `in ${fileName}`, base: bases.file });
  }
  for (const set of sets) {
    const { path, value } = parseSet(set);
    assign(schema, config, path, value, { where: `in --set ${set}`, base: bases.sets });
  }
  return config;
}

/**
 * Splits `--set a.b=v` into its key path and value. The value is parsed as
 * JSON where it can be (`12`, `true`, `[784,64]`, `null`), else kept as text.
 *
 * @throws {ConfigError} when there is no `=` or no key
 */
export function parseSet(set: string): { path: string[]; value: unknown } {
  const equals = set.indexOf("=");
  if (equals <= 0) {
    throw new ConfigError(
      `--set expects KEY=VALUE, for example --set cluster.k=12: got '${set}'`,
    );
  }
  const path = set.slice(0, equals).trim().split(".");
  const text = set.slice(equals + 1).trim();
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: a plain string such as a path or an enum value.
  }
  return { path, value };
}

function assign(
  schema: ConfigSchema,
  config: Config,
  path: readonly string[],
  value: unknown,
  origin: Origin,
): void {
  const { where } = origin;
  const [name, key, ...rest] = path;
  // Own keys only: `constructor`, `toString` or `__proto__` are on every
  // object, and must be unknown keys like any other.
  const entry = name === undefined || !Object.hasOwn(schema, name) ? undefined : schema[name];
  if (name === undefined || entry === undefined) {
    throw unknownKey(path.join("."), Object.keys(schema), where, allKeys(schema));
  }
  if (isField(entry)) {
    if (key !== undefined) {
      throw new ConfigError(
        `'${name}' is a value, not a section, so '${path.join(".")}' does not exist ${where}`,
      );
    }
    config[name] = checkField(name, entry, value, origin);
    return;
  }
  const section = config[name] as Record<string, unknown>;
  if (key === undefined) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ConfigError(
        `'${name}' must be an object of settings ${where}: current value is ${
          showValue(value, "quoted")
        }`,
      );
    }
    for (const [field, fieldValue] of Object.entries(value)) {
      if (field.startsWith("$")) continue;
      assign(schema, config, [name, field], fieldValue, origin);
    }
    return;
  }
  const field = Object.hasOwn(entry, key) ? (entry as SectionSchema)[key] : undefined;
  if (field === undefined || rest.length > 0) {
    throw unknownKey(
      path.join("."),
      Object.keys(entry).map((k) => `${name}.${k}`),
      where,
      allKeys(schema),
    );
  }
  section[key] = checkField(`${name}.${key}`, field, value, origin);
}

function unknownKey(
  key: string,
  nearby: readonly string[],
  where: string,
  everything: readonly string[],
): ConfigError {
  const suggestion = didYouMean(key, nearby) ?? didYouMean(key, everything);
  const hint = suggestion === undefined
    ? `valid keys: ${nearby.join(", ")}`
    : `did you mean '${suggestion}'?`;
  return new ConfigError(`Unknown configuration key '${key}' ${where}: ${hint}`);
}

function allKeys(schema: ConfigSchema): string[] {
  return Object.entries(schema).flatMap(([name, entry]) =>
    isField(entry) ? [name] : Object.keys(entry).map((key) => `${name}.${key}`)
  );
}

/** Where a value came from: named in errors, and the folder its relative paths start from. */
interface Origin {
  readonly where: string;
  readonly base?: string;
}

function checkField(key: string, field: FieldSchema, value: unknown, origin: Origin): unknown {
  const { where } = origin;
  const wrong = (allowed: string) =>
    new ConfigError(
      `'${key}' must be ${allowed} ${where}: current value is ${showValue(value, "quoted")}`,
    );
  if (value === null && "nullable" in field && field.nullable) return null;
  switch (field.type) {
    case "integer":
    case "number": {
      const isInteger = field.type === "integer";
      const allowed = numberRange(field, isInteger);
      if (typeof value !== "number" || !Number.isFinite(value)) throw wrong(allowed);
      if (isInteger && !Number.isInteger(value)) throw wrong(allowed);
      const belowMin = field.min !== undefined &&
        (field.exclusiveMin ? value <= field.min : value < field.min);
      if (belowMin || (field.max !== undefined && value > field.max)) throw wrong(allowed);
      return value;
    }
    case "boolean":
      if (typeof value !== "boolean") throw wrong("true or false");
      return value;
    case "string":
      if (typeof value !== "string" || value.trim() === "") {
        throw wrong(field.nullable ? "a non-empty string or null" : "a non-empty string");
      }
      return field.isPath && origin.base !== undefined ? resolve(origin.base, value) : value;
    case "enum": {
      if (typeof value === "string" && field.values.includes(value)) return value;
      const suggestion = typeof value === "string" ? didYouMean(value, field.values) : undefined;
      const allowed = `one of ${field.values.map((v) => `'${v}'`).join(", ")}`;
      throw wrong(
        suggestion === undefined ? allowed : `${allowed} (did you mean '${suggestion}'?)`,
      );
    }
    case "integers": {
      const minimum = field.min ?? -Infinity;
      const allowed = `a non-empty list of integers${
        Number.isFinite(minimum) ? ` ≥ ${minimum}` : ""
      }`;
      if (!Array.isArray(value) || value.length === 0) throw wrong(allowed);
      for (const item of value) {
        if (typeof item !== "number" || !Number.isInteger(item) || item < minimum) {
          throw wrong(allowed);
        }
      }
      return [...value];
    }
    default: {
      const unreachable: never = field;
      throw new Error(`Unknown field type in the schema: ${JSON.stringify(unreachable)}`);
    }
  }
}

function numberRange(
  field: FieldSchema & { type: "integer" | "number" },
  isInteger: boolean,
): string {
  const kind = isInteger ? "an integer" : "a number";
  const low = field.min === undefined
    ? undefined
    : `${field.exclusiveMin ? ">" : "≥"} ${field.min}`;
  const high = field.max === undefined ? undefined : `≤ ${field.max}`;
  const range = [low, high].filter((part) => part !== undefined).join(" and ");
  const nullable = field.nullable ? " or null" : "";
  return range === "" ? `${kind}${nullable}` : `${kind} ${range}${nullable}`;
}
