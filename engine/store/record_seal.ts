/**
 * Records that carry a digest of their own content, so that a record changed
 * on disk (a flipped bit, a hand edit, a half-restored backup) is found when
 * it is read and never trusted.
 *
 * @example
 * ```ts
 * import { isSealed, seal } from "./record_seal.ts";
 *
 * const record = seal({ stage: "cluster", key: "abc" });
 * if (!isSealed(record)) throw new Error("a fresh seal holds");
 * if (isSealed({ ...record, key: "abd" })) throw new Error("an edit breaks it");
 * ```
 *
 * @module
 */
import { canonicalJson } from "../key/canonical_json.ts";
import { sha256 } from "../key/sha256.ts";

/** A record with the digest of the rest of its content. */
export type Sealed<T> = T & { readonly digest: string };

/**
 * The record with `digest`: the SHA-256 of its canonical JSON without that
 * field.
 *
 * @param record any JSON object (a `digest` field it has is replaced)
 * @returns the sealed record
 */
export function seal<T extends object>(record: T): Sealed<T> {
  const { digest: _old, ...content } = record as T & { digest?: unknown };
  return { ...content, digest: sha256(canonicalJson(content)) } as Sealed<T>;
}

/**
 * True when `value` is an object whose `digest` matches the rest of it.
 *
 * @param value a parsed record
 * @returns whether it is as it was sealed
 */
export function isSealed(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { digest, ...content } = value as { digest?: unknown };
  return typeof digest === "string" && digest === sha256(canonicalJson(content));
}
