import { fileURLToPath } from "node:url";
import type { ProjectCode } from "./runner.ts";

/** The project root: the folder holding deno.json. */
export const projectRoot: string = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/**
 * The project's code location and pinned library versions (deno.json
 * `imports`), as cache keys need them.
 */
export function projectCode(root: string = projectRoot): ProjectCode {
  const denoJson = JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
    imports?: Record<string, string>;
  };
  return { root, importMap: denoJson.imports ?? {} };
}
