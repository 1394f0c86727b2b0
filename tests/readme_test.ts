import assert from "node:assert/strict";
import { configReference, referenceEnd, referenceStart } from "../config/config_reference.ts";
import { configSchema } from "../stages/dag.ts";

/** Markdown as `deno fmt` may lay it out: table cells padded, rules of any length. */
function normalise(markdown: string): string {
  return markdown.replace(/ +/g, " ").replace(/-{3,}/g, "---");
}

Deno.test("README's configuration reference lists every key of the schema as it is", () => {
  const readme = Deno.readTextFileSync(new URL("../README.md", import.meta.url));
  const start = readme.indexOf(referenceStart);
  const end = readme.indexOf(referenceEnd) + referenceEnd.length;
  assert.ok(start >= 0 && end > start, "README.md holds the generated reference");
  assert.equal(
    normalise(readme.slice(start, end)),
    normalise(configReference(configSchema)),
    "README.md is out of date: run `deno task docs`",
  );
});
