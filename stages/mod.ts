/**
 * The pipeline's stages, one module each, and their declaration in
 * `dag.ts`: the one place that knows the list of stages.
 *
 * @module
 */
export * from "./dag.ts";
