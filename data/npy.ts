/**
 * NumPy's `.npy` format, version 1.0, for the files `--export` writes:
 * the magic `\x93NUMPY`, version bytes 1 0, a little-endian uint16 header
 * length, a Python dict literal (`descr`, `fortran_order`, `shape`) padded
 * with spaces and a newline so the data starts at a multiple of 64 bytes,
 * then the values in C order.
 *
 * @module
 */
import type { DType, Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";

const MAGIC = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const PREAMBLE_LENGTH = 10; // magic, 2 version bytes, uint16 header length
const ALIGNMENT = 64;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The NumPy type string (`descr`) of each {@link DType}. */
const NPY_DESCR: Readonly<Record<DType, string>> = {
  float32: "<f4",
  int32: "<i4",
  uint8: "|u1",
};

/**
 * Encodes a tensor as the bytes of a `.npy` file (version 1.0, C order).
 *
 * @param value a float32, int32 or uint8 tensor
 * @returns the file's bytes; `numpy.load` gives an array of the same dtype and shape
 * @throws {RangeError} when the shape is too long to fit a version 1.0 header
 * @example
 * ```ts
 * import { decodeNpy, encodeNpy } from "./npy.ts";
 * import { tensor } from "../engine/tensor.ts";
 *
 * const bytes = encodeNpy(tensor("float32", [2, 2], new Float32Array([1, 2, 3, 4])));
 * // The 16 data bytes start at a multiple of 64.
 * if ((bytes.length - 16) % 64 !== 0) throw new Error(`${bytes.length} bytes`);
 * const back = decodeNpy(bytes);
 * if (back.shape.join() !== "2,2" || back.data.join() !== "1,2,3,4") throw new Error();
 * ```
 */
export function encodeNpy(value: Tensor): Uint8Array {
  const shape = value.shape.length === 1 ? `(${value.shape[0]},)` : `(${value.shape.join(", ")})`;
  const dict = `{'descr': '${
    NPY_DESCR[value.dtype]
  }', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = PREAMBLE_LENGTH + dict.length + 1; // + the closing newline
  const headerLength = Math.ceil(unpadded / ALIGNMENT) * ALIGNMENT - PREAMBLE_LENGTH;
  if (headerLength > 0xffff) {
    throw new RangeError(`Cannot write a .npy 1.0 header for shape [${value.shape}]: too long`);
  }
  const header = dict.padEnd(headerLength - 1, " ") + "\n";
  const bytes = new Uint8Array(PREAMBLE_LENGTH + headerLength + value.data.byteLength);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  view.setUint16(8, headerLength, true);
  bytes.set(new TextEncoder().encode(header), PREAMBLE_LENGTH);
  const dataOffset = PREAMBLE_LENGTH + headerLength;
  const { data } = value;
  if (LITTLE_ENDIAN_HOST || value.dtype === "uint8") {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataOffset);
  } else {
    for (let i = 0; i < data.length; i++) {
      const element = data[i] as number;
      if (value.dtype === "float32") view.setFloat32(dataOffset + 4 * i, element, true);
      else view.setInt32(dataOffset + 4 * i, element, true);
    }
  }
  return bytes;
}

/**
 * Writes a tensor to a `.npy` file.
 *
 * @param path where to write; an existing file is replaced
 * @param value a float32, int32 or uint8 tensor
 * @throws {Deno.errors.NotFound} when the folder does not exist
 */
export async function writeNpy(path: string, value: Tensor): Promise<void> {
  await Deno.writeFile(path, encodeNpy(value));
}

/**
 * Decodes a `.npy` file holding little-endian float32, int32 or uint8 values
 * in C order (what {@link encodeNpy} and `numpy.save` write for those types).
 *
 * @param bytes the whole file
 * @returns the tensor (its data is a copy)
 * @throws {TypeError} when the bytes are not such a file, or its length does not match its header
 */
export function decodeNpy(bytes: Uint8Array): Tensor {
  if (bytes.length < PREAMBLE_LENGTH || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new TypeError("Not a .npy file: it does not start with \\x93NUMPY");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const lengthBytes = major === 1 ? 2 : 4; // versions 2.0 and 3.0 widen the header length
  if (major !== 1 && major !== 2 && major !== 3) {
    throw new TypeError(`Unsupported .npy version ${major}.${bytes[7]}`);
  }
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) throw new TypeError(".npy file is truncated in its preamble");
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = headerStart + headerLength;
  if (bytes.length < dataOffset) throw new TypeError(".npy file is truncated in its header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(headerStart, dataOffset),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortranOrder = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortranOrder === undefined || shapeText === undefined) {
    throw new TypeError(`Malformed .npy header: ${header.trim()}`);
  }
  if (fortranOrder === "True") throw new TypeError("Fortran-ordered .npy files are not supported");
  const dtype = (Object.keys(NPY_DESCR) as DType[]).find((key) =>
    NPY_DESCR[key] === descr || (key === "uint8" && descr === "<u1")
  );
  if (dtype === undefined) {
    throw new TypeError(`Unsupported .npy dtype '${descr}': expected <f4, <i4 or |u1`);
  }
  const shape = shapeText.split(",").map((part) => part.trim()).filter((part) => part !== "")
    .map(Number);
  const size = shape.reduce((product, dim) => product * dim, 1);
  const byteLength = size * (dtype === "uint8" ? 1 : 4);
  if (bytes.length !== dataOffset + byteLength) {
    throw new TypeError(
      `.npy file length ${bytes.length} does not match its header: ${descr} of shape ` +
        `(${shape}) needs ${dataOffset + byteLength} bytes`,
    );
  }
  const raw = bytes.slice(dataOffset); // a copy, aligned at offset 0
  switch (dtype) {
    case "uint8":
      return tensor(dtype, shape, raw);
    case "float32": {
      if (LITTLE_ENDIAN_HOST) return tensor(dtype, shape, new Float32Array(raw.buffer));
      const rawView = new DataView(raw.buffer);
      return tensor(
        dtype,
        shape,
        Float32Array.from({ length: size }, (_, i) => rawView.getFloat32(4 * i, true)),
      );
    }
    case "int32": {
      if (LITTLE_ENDIAN_HOST) return tensor(dtype, shape, new Int32Array(raw.buffer));
      const rawView = new DataView(raw.buffer);
      return tensor(
        dtype,
        shape,
        Int32Array.from({ length: size }, (_, i) => rawView.getInt32(4 * i, true)),
      );
    }
    default: {
      const unreachable: never = dtype;
      throw new TypeError(`Unknown dtype '${unreachable}'`);
    }
  }
}

/**
 * Reads a `.npy` file written by {@link writeNpy} or by NumPy.
 *
 * @param path the file
 * @returns the tensor
 * @throws {TypeError} when the file is not a supported .npy file
 */
export async function readNpy(path: string): Promise<Tensor> {
  return decodeNpy(await Deno.readFile(path));
}
