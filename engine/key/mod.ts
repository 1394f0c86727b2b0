/**
 * Cache keys: the fingerprint and what it is made of (the code as loaded,
 * the libraries as deno.lock pins them, data files by content), hashing in
 * canonical form, and the explanation of why a key changed.
 *
 * @module
 */
export * from "./fingerprint.ts";
export * from "./stage_fingerprint.ts";
export * from "./code_digest.ts";
export * from "./module_imports.ts";
export * from "./library_lock.ts";
export * from "./data_digest.ts";
export * from "./project_code.ts";
export * from "./explain.ts";
export * from "./canonical_json.ts";
export * from "./sha256.ts";
export * from "./flatten_config.ts";
export * from "./show_value.ts";
