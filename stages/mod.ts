/**
 * The pipeline's stages, one module each, and their declaration in
 * `dag.ts`: the one place that knows the list of stages; `preflight.ts`
 * checks a configuration against its data before any of them runs.
 *
 * @module
 */
export * from "./dag.ts";
export * from "./preflight.ts";
