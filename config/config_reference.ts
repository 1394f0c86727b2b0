/**
 * The configuration reference in the README, generated from the schema's
 * own text so the two never disagree (`deno task docs` refreshes it; a test
 * fails when it is out of date).
 *
 * @module
 */
import type { ConfigSchema, FieldSchema } from "./schema.ts";
import { isField } from "./schema.ts";
import { showValue } from "../engine/key/show_value.ts";

/** Marks the generated part of the README. */
export const referenceStart = "<!-- configuration reference: generated from the schema -->";
export const referenceEnd = "<!-- end of configuration reference -->";

/**
 * The configuration reference as Markdown: a table per section with each
 * key, its default, what it accepts and what it does. The README holds this
 * text between {@link referenceStart} and {@link referenceEnd}; a test keeps
 * the two equal.
 */
export function configReference(schema: ConfigSchema): string {
  const parts: string[] = [];
  const topLevel = Object.entries(schema).filter(([, entry]) => isField(entry)) as [
    string,
    FieldSchema,
  ][];
  for (const [name, entry] of Object.entries(schema)) {
    if (isField(entry)) continue;
    parts.push(
      `### \`${name}\`\n`,
      table(Object.entries(entry).map(([key, field]) => [`${name}.${key}`, field])),
    );
  }
  if (topLevel.length > 0) parts.push("### Top level\n", table(topLevel));
  return [referenceStart, "", ...parts, referenceEnd].join("\n");
}

function table(fields: readonly [string, FieldSchema][]): string {
  const rows = fields.map(([key, field]) =>
    `| \`${key}\` | \`${showValue(field.default)}\` | ${accepts(field)} | ${
      field.doc.replaceAll("|", "\\|")
    } |`
  );
  return ["| key | default | accepts | meaning |", "| --- | --- | --- | --- |", ...rows, ""].join(
    "\n",
  );
}

function accepts(field: FieldSchema): string {
  switch (field.type) {
    case "integer":
    case "number": {
      const low = field.min === undefined ? "" : `${field.exclusiveMin ? ">" : "≥"} ${field.min}`;
      const high = field.max === undefined ? "" : `≤ ${field.max}`;
      const range = [low, high].filter((part) => part !== "").join(", ");
      return `${field.type}${range === "" ? "" : ` ${range}`}${field.nullable ? ", or null" : ""}`;
    }
    case "boolean":
      return "true, false";
    case "string": {
      const kind = field.isPath ? "path" : "text";
      return field.nullable ? `${kind}, or null` : kind;
    }
    case "enum":
      return field.values.map((value) => `\`${value}\``).join(", ");
    case "integers":
      return `list of integers${field.min === undefined ? "" : ` ≥ ${field.min}`}`;
    default: {
      const unreachable: never = field;
      return String(unreachable);
    }
  }
}

/**
 * Replaces the generated reference in a README's text (or the
 * `CONFIG_REFERENCE` placeholder of a new one).
 */
export function withReference(readme: string, reference: string): string {
  const start = readme.indexOf(referenceStart);
  const end = readme.indexOf(referenceEnd);
  if (start >= 0 && end > start) {
    return readme.slice(0, start) + reference + readme.slice(end + referenceEnd.length);
  }
  return readme.replace("CONFIG_REFERENCE", reference);
}
