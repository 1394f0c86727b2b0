/**
 * Where a project's code is and which library versions it pins: what the
 * code part of a cache key is computed from.
 *
 * @module
 */
import { join } from "node:path";
import type { ProjectCode } from "./runner.ts";

/**
 * The project's code location and pinned library versions (deno.json
 * `imports`), as cache keys need them.
 *
 * @param root the folder holding the project's deno.json
 * @returns the root and its import map
 */
export function projectCode(root: string): ProjectCode {
  const denoJson = JSON.parse(Deno.readTextFileSync(join(root, "deno.json"))) as {
    imports?: Record<string, string>;
  };
  return { root, importMap: denoJson.imports ?? {} };
}
