/**
 * What a run record says about where and with what its results were
 * computed: the runtime, and from the stages' key bases their environments
 * (the backend that ran), the libraries (`name@version`) and the data files'
 * digests. Reports show it; nothing reads it back.
 *
 * @module
 */
import type { StageBasis } from "./key/stage_fingerprint.ts";
import type { JsonValue } from "./stage.ts";

/**
 * The provenance of a run whose stages had these key bases.
 *
 * @param bases each stage's code, data and environment, by stage name
 * @returns a JSON object for the run record
 */
export function runProvenance(bases: ReadonlyMap<string, StageBasis>): Record<string, JsonValue> {
  const environments: Record<string, JsonValue> = {};
  const data: Record<string, JsonValue> = {};
  const libraries = new Set<string>();
  for (const [name, basis] of bases) {
    if (Object.keys(basis.environment).length > 0) environments[name] = basis.environment;
    if (Object.keys(basis.data).length > 0) data[name] = basis.data;
    for (const library of Object.keys(basis.code.libraries)) libraries.add(library);
  }
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: `${Deno.build.os}-${Deno.build.arch}`,
    environments,
    data,
    libraries: [...libraries].sort(),
  };
}
