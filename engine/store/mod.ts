/**
 * The store: content-addressed objects, stage and run records, the lock,
 * garbage collection and verification, and the codecs that turn stage
 * outputs into stored bytes.
 *
 * @module
 */
export * from "./store.ts";
export * from "./records.ts";
export * from "./record_seal.ts";
export * from "./atomic_file.ts";
export * from "./lock.ts";
export * from "./collect_garbage.ts";
export * from "./verify_store.ts";
export * from "./value_codec.ts";
export * from "./tensor_file.ts";
