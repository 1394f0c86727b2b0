/**
 * Configuration: the schema's field types, resolution of a file and `--set`
 * overrides against it, the error class for the user's mistakes, "did you
 * mean" suggestions, and the README's generated reference.
 *
 * @module
 */
export * from "./schema.ts";
export * from "./config.ts";
export * from "./config_file.ts";
export * from "./config_error.ts";
export * from "./did_you_mean.ts";
export * from "./config_reference.ts";
