/**
 * How stage outputs become the bytes of store objects and come back: the
 * kind (tensor, bytes, JSON) decides the encoding.
 *
 * @module
 */
import { canonicalJson } from "../key/canonical_json.ts";
import type { StageValue } from "../stage.ts";
import { isTensor } from "../tensor.ts";
import { decodeTensor, encodeTensor } from "./tensor_file.ts";

/** How a stage output is kept in the store: the kind decides its encoding. */
export type ValueKind = "tensor" | "bytes" | "json";

/**
 * A stage output as the bytes of a store object, and its kind.
 * JSON is canonical so equal values give equal objects.
 */
export function encodeValue(value: StageValue): { kind: ValueKind; bytes: Uint8Array } {
  if (value instanceof Uint8Array) return { kind: "bytes", bytes: value };
  if (isTensor(value)) return { kind: "tensor", bytes: encodeTensor(value) };
  return { kind: "json", bytes: new TextEncoder().encode(canonicalJson(value)) };
}

/** The stage output that {@link encodeValue} turned into `bytes`. */
export function decodeValue(kind: ValueKind, bytes: Uint8Array): StageValue {
  switch (kind) {
    case "bytes":
      return bytes;
    case "tensor":
      return decodeTensor(bytes);
    case "json":
      return JSON.parse(new TextDecoder().decode(bytes));
    default: {
      const unreachable: never = kind;
      throw new Error(`Unknown stored value kind '${unreachable}'`);
    }
  }
}
