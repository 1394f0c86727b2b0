/**
 * Reading IDX files, the format MNIST is published in: a 4-byte magic
 * `00 00 TT DD` (TT the element type, DD the number of dimensions), DD
 * big-endian uint32 dimensions, then the values row-major and big-endian.
 *
 * @module
 */
import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import { ConfigError } from "../config/config_error.ts";
import { errorMessage } from "../engine/error_message.ts";

const gunzipAsync = promisify(gunzip);

/** The typed array that backs each IDX element type. */
export interface IdxTypedArrayOf {
  /** Type code 0x08. */
  uint8: Uint8Array;
  /** Type code 0x09. */
  int8: Int8Array;
  /** Type code 0x0B. */
  int16: Int16Array;
  /** Type code 0x0C. */
  int32: Int32Array;
  /** Type code 0x0D. */
  float32: Float32Array;
  /** Type code 0x0E. */
  float64: Float64Array;
}

/** Element types an IDX file may declare. */
export type IdxType = keyof IdxTypedArrayOf;

/** The contents of an IDX file, one variant per element type. */
export type IdxArray = {
  [T in IdxType]: {
    readonly type: T;
    readonly shape: readonly number[];
    readonly data: IdxTypedArrayOf[T];
  };
}[IdxType];

/** The IDX type codes (third magic byte) and their element sizes. */
const IDX_TYPES: Readonly<Record<number, { type: IdxType; bytes: number }>> = {
  0x08: { type: "uint8", bytes: 1 },
  0x09: { type: "int8", bytes: 1 },
  0x0b: { type: "int16", bytes: 2 },
  0x0c: { type: "int32", bytes: 4 },
  0x0d: { type: "float32", bytes: 4 },
  0x0e: { type: "float64", bytes: 8 },
};

const EXPECTED_HEADER = "an IDX header 00 00 TT DD (TT the element type: 08 uint8, 09 int8, " +
  "0B int16, 0C int32, 0D float32, 0E float64; DD the number of dimensions), " +
  "as in MNIST's train-images-idx3-ubyte (00 00 08 03)";

/**
 * Parses the bytes of an (uncompressed) IDX file.
 *
 * @param bytes the whole file
 * @param source what to call the file in error messages, usually its path
 * @returns the element type, shape and values; uint8 and int8 data share memory with `bytes`
 * @throws {ConfigError} naming `source` when the magic number is wrong or the
 *   length does not match the dimensions in the header
 * @example
 * ```ts
 * import { parseIdx } from "./idx.ts";
 *
 * // Magic 00 00 08 01 (uint8, one dimension), the dimension 2, then the values.
 * const idx = parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 7]), "labels");
 * if (idx.type !== "uint8" || idx.shape.join() !== "2" || idx.data.join() !== "5,7") {
 *   throw new Error(`read ${idx.type} ${idx.shape}: ${idx.data}`);
 * }
 * ```
 */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  if (bytes.length < 4) {
    throw new ConfigError(
      `${source} is not an IDX file: it is only ${bytes.length} bytes long; expected ${EXPECTED_HEADER}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const element = IDX_TYPES[bytes[2] as number];
  const rank = bytes[3] as number;
  if (bytes[0] !== 0 || bytes[1] !== 0 || element === undefined || rank === 0) {
    throw new ConfigError(
      `${source} is not an IDX file: its magic number is 0x${
        magic.toString(16).padStart(8, "0")
      }; expected ${EXPECTED_HEADER}`,
    );
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new ConfigError(
      `${source} is truncated: its ${rank}-dimensional IDX header needs ${headerLength} bytes, ` +
        `the file has ${bytes.length}`,
    );
  }
  const shape: number[] = [];
  for (let axis = 0; axis < rank; axis++) shape.push(view.getUint32(4 + 4 * axis, false));
  const size = shape.reduce((product, dim) => product * dim, 1);
  const expectedLength = headerLength + size * element.bytes;
  if (bytes.length !== expectedLength) {
    const problem = bytes.length < expectedLength ? "is truncated" : "has trailing bytes";
    throw new ConfigError(
      `${source} ${problem}: its header declares ${element.type} values of shape ` +
        `${shape.join("×")}, which take ${expectedLength} bytes, but the file has ${bytes.length}`,
    );
  }
  const data = readBigEndian(element.type, bytes, headerLength, size);
  return { type: element.type, shape, data } as IdxArray;
}

/**
 * Reads an IDX file from disk, gunzipping it first when it is gzip-compressed
 * (recognised by its content, not its name).
 *
 * @param path the file's path
 * @param field the configuration key the path came from (`'load.trainImages'`), for messages
 * @returns the parsed file
 * @throws {ConfigError} when the file is missing, unreadable, not valid gzip,
 *   or not a well-formed IDX file; the message names `field` and `path`
 */
export async function readIdxFile(path: string, field: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ConfigError(
        `${field} names ${path}, which does not exist; expected the path of an IDX file ` +
          `(plain or .gz), such as train-images-idx3-ubyte.gz`,
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new ConfigError(`${field} names ${path}, which is a folder; expected an IDX file`);
    }
    throw new ConfigError(`${field} names ${path}, which cannot be read: ${errorMessage(error)}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      throw new ConfigError(
        `${field} names ${path}, a gzip file that cannot be decompressed (${
          errorMessage(error)
        }); ` +
          `it may be truncated: expected a complete .gz of an IDX file`,
      );
    }
  }
  return parseIdx(bytes, `${field} file ${path}`);
}

function readBigEndian(
  type: IdxType,
  bytes: Uint8Array,
  offset: number,
  size: number,
): IdxArray["data"] {
  switch (type) {
    case "uint8":
      return bytes.subarray(offset, offset + size);
    case "int8":
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, size);
    case "int16":
    case "int32":
    case "float32":
    case "float64": {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
      if (type === "int16") {
        const values = new Int16Array(size);
        for (let i = 0; i < size; i++) values[i] = view.getInt16(2 * i, false);
        return values;
      }
      if (type === "int32") {
        const values = new Int32Array(size);
        for (let i = 0; i < size; i++) values[i] = view.getInt32(4 * i, false);
        return values;
      }
      if (type === "float32") {
        const values = new Float32Array(size);
        for (let i = 0; i < size; i++) values[i] = view.getFloat32(4 * i, false);
        return values;
      }
      const values = new Float64Array(size);
      for (let i = 0; i < size; i++) values[i] = view.getFloat64(8 * i, false);
      return values;
    }
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown IDX type '${unreachable}'`);
    }
  }
}
