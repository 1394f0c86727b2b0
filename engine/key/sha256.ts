/**
 * SHA-256 as hex: the name of every stored object and every cache key.
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * The SHA-256 of some bytes or text, as 64 lowercase hex digits: the name of
 * every stored object and every cache key.
 *
 * node:crypto hashes synchronously at native speed (about 1 GB/s here), where
 * WebCrypto would copy the whole buffer first.
 */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
