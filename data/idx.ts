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
  const { type, shape, headerLength } = parseHeader(bytes, bytes.length, source);
  const size = shape.reduce((product, dim) => product * dim, 1);
  const data = readBigEndian(type, bytes, headerLength, size);
  return { type, shape, data } as IdxArray;
}

/** What an IDX header declares: the element type and the shape. */
export interface IdxHeader {
  readonly type: IdxType;
  readonly shape: readonly number[];
}

/**
 * Checks an IDX header against the length of the whole (uncompressed) file.
 *
 * @param head the file's first bytes (at least the header)
 * @param length the whole file's length in bytes
 * @param source what to call the file in error messages
 */
function parseHeader(
  head: Uint8Array,
  length: number,
  source: string,
): IdxHeader & { headerLength: number } {
  if (length < 4) {
    throw new ConfigError(
      `${source} is not an IDX file: it is only ${length} bytes long; expected ${EXPECTED_HEADER}`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0, false);
  const element = IDX_TYPES[head[2] as number];
  const rank = head[3] as number;
  if (head[0] !== 0 || head[1] !== 0 || element === undefined || rank === 0) {
    throw new ConfigError(
      `${source} is not an IDX file: its magic number is 0x${
        magic.toString(16).padStart(8, "0")
      }; expected ${EXPECTED_HEADER}`,
    );
  }
  const headerLength = 4 + 4 * rank;
  if (length < headerLength) {
    throw new ConfigError(
      `${source} is truncated: its ${rank}-dimensional IDX header needs ${headerLength} bytes, ` +
        `the file has ${length}`,
    );
  }
  const shape: number[] = [];
  for (let axis = 0; axis < rank; axis++) shape.push(view.getUint32(4 + 4 * axis, false));
  const size = shape.reduce((product, dim) => product * dim, 1);
  const expectedLength = headerLength + size * element.bytes;
  if (length !== expectedLength) {
    const problem = length < expectedLength ? "is truncated" : "has trailing bytes";
    throw new ConfigError(
      `${source} ${problem}: its header declares ${element.type} values of shape ` +
        `${shape.join("×")}, which take ${expectedLength} bytes, but the file has ${length}`,
    );
  }
  return { type: element.type, shape, headerLength };
}

/** The longest IDX header: the magic and 255 dimensions. */
const LONGEST_HEADER = 4 + 4 * 255;

/**
 * Reads only what an IDX file declares, checked against the file's length,
 * without parsing its values: cheap enough to check the data before anything
 * runs. A plain file's header is read and its length taken from the file
 * system; a gzip file (usually a few MB) is decompressed to learn its length.
 *
 * @param path the file's path
 * @param field the configuration key the path came from, for messages
 * @returns the element type and shape
 * @throws {ConfigError} as {@link readIdxFile} does, for the same files
 */
export async function readIdxHeader(path: string, field: string): Promise<IdxHeader> {
  const source = `${field} file ${path}`;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    throw openError(error, path, field);
  }
  let head: Uint8Array = new Uint8Array(LONGEST_HEADER);
  let length: number;
  try {
    length = (await file.stat()).size;
    let filled = 0;
    while (filled < head.length) {
      const read = await file.read(head.subarray(filled));
      if (read === null) break;
      filled += read;
    }
  } catch (error) {
    throw openError(error, path, field);
  } finally {
    file.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    head = await gunzipFile(await Deno.readFile(path), path, field);
    length = head.length;
  }
  const { type, shape } = parseHeader(head, length, source);
  return { type, shape };
}

async function gunzipFile(bytes: Uint8Array, path: string, field: string): Promise<Uint8Array> {
  try {
    return await gunzipAsync(bytes);
  } catch (error) {
    throw new ConfigError(
      `${field} names ${path}, a gzip file that cannot be decompressed (${
        errorMessage(error)
      }); it may be truncated: expected a complete .gz of an IDX file`,
    );
  }
}

/** The configuration error for a data file that cannot be opened. */
function openError(error: unknown, path: string, field: string): ConfigError {
  if (error instanceof Deno.errors.NotFound) {
    return new ConfigError(
      `${field} names ${path}, which does not exist; expected the path of an IDX file ` +
        `(plain or .gz), such as train-images-idx3-ubyte.gz`,
    );
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new ConfigError(`${field} names ${path}, which is a folder; expected an IDX file`);
  }
  return new ConfigError(`${field} names ${path}, which cannot be read: ${errorMessage(error)}`);
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
    throw openError(error, path, field);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await gunzipFile(bytes, path, field);
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
