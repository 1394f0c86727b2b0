/**
 * `deno task docs`: rewrites the configuration reference in README.md from
 * the schema, so the documented defaults, ranges and meanings are the ones
 * the code checks.
 *
 * @module
 */
import { join } from "node:path";
import { runCommand } from "../cli/command_line.ts";
import { projectRoot } from "../cli/project_root.ts";
import { configReference, withReference } from "../config/config_reference.ts";
import { configSchema } from "../stages/dag.ts";

runCommand(() => {
  const path = join(projectRoot, "README.md");
  const before = Deno.readTextFileSync(path);
  const after = withReference(before, configReference(configSchema));
  if (after !== before) Deno.writeTextFileSync(path, after);
  console.error(after === before ? "README.md is up to date" : `updated ${path}`);
  return Promise.resolve();
});
