/**
 * The tensor file format, in which the store keeps tensors as objects:
 * a small header and little-endian values, read back without copying.
 *
 * @module
 */
import type { DType, Tensor, TypedArrayOf } from "../tensor.ts";
import { tensor } from "../tensor.ts";

/**
 * The tensor file format: how the store keeps a {@link Tensor} as an object.
 *
 * | bytes            | holds                                                      |
 * | ---------------- | ---------------------------------------------------------- |
 * | 0–3              | magic `ENCT`                                               |
 * | 4                | format version, 1                                          |
 * | 5                | dtype code: 1 float32, 2 int32, 3 uint8                    |
 * | 6–7              | rank r (uint16, little-endian)                             |
 * | 8 to 8+4r        | the r dimensions, outermost first (uint32, little-endian)  |
 * | up to a ×8       | zero padding, so the data can be viewed in place           |
 * | the rest         | the values, row-major, little-endian                       |
 *
 * The file's length is exactly header plus data: anything shorter or longer
 * is rejected. Integrity against bit flips is the store's job (it checks
 * SHA-256 digests); this format only has to fail loudly on the wrong bytes.
 */
export const TENSOR_FILE_MAGIC = "ENCT";

/** The version {@link encodeTensor} writes and {@link decodeTensor} reads. */
export const TENSOR_FILE_VERSION = 1;

/** Ranks above this are refused as garbled headers; no stage needs more. */
const MAX_RANK = 32;

const DTYPE_CODES: Readonly<Record<DType, number>> = { float32: 1, int32: 2, uint8: 3 };
const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, int32: 4, uint8: 1 };
const MAGIC_BYTES = new TextEncoder().encode(TENSOR_FILE_MAGIC);
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Bytes that are not a valid tensor file: wrong magic, unknown version or
 * dtype, or a length that does not match the header (a truncated or padded
 * object). The store catches it to treat the object as corrupt.
 */
export class TensorFileError extends Error {
  override readonly name = "TensorFileError";
}

/**
 * Encodes a tensor in the tensor file format.
 *
 * @param value the tensor to encode
 * @returns a new byte array: header, padding, little-endian data
 * @throws {RangeError} when the data does not fill the shape or does not match the dtype
 * @example
 * ```ts
 * import { tensor } from "../tensor.ts";
 * const bytes = encodeTensor(tensor("int32", [3], new Int32Array([1, 2, 3])));
 * ```
 */
export function encodeTensor(value: Tensor): Uint8Array {
  const { dtype, shape, data } = value;
  checkDataType(dtype, data);
  const size = shape.reduce((product, dim) => product * dim, 1);
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0 || dim > 0xffffffff) {
      throw new RangeError(`Cannot encode a tensor with dimension ${dim} in shape [${shape}]`);
    }
  }
  if (shape.length > MAX_RANK) {
    throw new RangeError(`Cannot encode a tensor of rank ${shape.length}: at most ${MAX_RANK}`);
  }
  if (data.length !== size) {
    throw new RangeError(
      `Cannot encode a ${dtype} tensor of shape [${shape}]: it needs ${size} values, has ${data.length}`,
    );
  }
  const headerLength = paddedHeaderLength(shape.length);
  const bytes = new Uint8Array(headerLength + data.byteLength);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  view.setUint8(4, TENSOR_FILE_VERSION);
  view.setUint8(5, DTYPE_CODES[dtype]);
  view.setUint16(6, shape.length, true);
  shape.forEach((dim, axis) => view.setUint32(8 + 4 * axis, dim, true));
  writeLittleEndian(dtype, data, bytes, headerLength);
  return bytes;
}

/**
 * Decodes bytes written by {@link encodeTensor}. When the data is suitably
 * aligned (as in a freshly read file) the tensor's data is a view into
 * `bytes` rather than a copy: do not modify `bytes` while the tensor is used.
 *
 * @param bytes a whole tensor file
 * @returns the tensor
 * @throws {TensorFileError} when the bytes are truncated, too long, or not a tensor file
 * @example
 * ```ts
 * import { tensor } from "../tensor.ts";
 * const t = decodeTensor(encodeTensor(tensor("uint8", [2], new Uint8Array([7, 9]))));
 * ```
 */
export function decodeTensor(bytes: Uint8Array): Tensor {
  if (bytes.length < 8) {
    throw new TensorFileError(
      `Not a tensor file: ${bytes.length} bytes is shorter than the 8-byte header`,
    );
  }
  for (let i = 0; i < MAGIC_BYTES.length; i++) {
    if (bytes[i] !== MAGIC_BYTES[i]) {
      throw new TensorFileError(
        `Not a tensor file: it starts with ${
          hex(bytes.subarray(0, 4))
        }, expected '${TENSOR_FILE_MAGIC}'`,
      );
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== TENSOR_FILE_VERSION) {
    throw new TensorFileError(
      `Tensor file version ${version} is not supported: this build reads version ${TENSOR_FILE_VERSION}`,
    );
  }
  const dtype = dtypeOfCode(view.getUint8(5));
  const rank = view.getUint16(6, true);
  if (rank > MAX_RANK) {
    throw new TensorFileError(`Tensor file header is garbled: rank ${rank} exceeds ${MAX_RANK}`);
  }
  const headerLength = paddedHeaderLength(rank);
  if (bytes.length < headerLength) {
    throw new TensorFileError(
      `Tensor file is truncated: ${bytes.length} bytes, but its rank-${rank} header alone takes ${headerLength}`,
    );
  }
  const shape: number[] = [];
  for (let axis = 0; axis < rank; axis++) shape.push(view.getUint32(8 + 4 * axis, true));
  for (let i = 8 + 4 * rank; i < headerLength; i++) {
    if (bytes[i] !== 0) {
      throw new TensorFileError(`Tensor file header is garbled: padding byte ${i} is not zero`);
    }
  }
  const size = shape.reduce((product, dim) => product * dim, 1);
  const expectedLength = headerLength + size * BYTES_PER_ELEMENT[dtype];
  if (bytes.length !== expectedLength) {
    const what = bytes.length < expectedLength ? "truncated" : "longer than its header says";
    throw new TensorFileError(
      `Tensor file is ${what}: a ${dtype} tensor of shape [${shape}] takes ${expectedLength} bytes, got ${bytes.length}`,
    );
  }
  return tensor(dtype, shape, readLittleEndian(dtype, bytes, headerLength, size));
}

/** Header length (magic, version, dtype, rank, dims) rounded up to 8 bytes. */
function paddedHeaderLength(rank: number): number {
  return Math.ceil((8 + 4 * rank) / 8) * 8;
}

function dtypeOfCode(code: number): DType {
  for (const [dtype, candidate] of Object.entries(DTYPE_CODES)) {
    if (candidate === code) return dtype as DType;
  }
  throw new TensorFileError(
    `Tensor file header is garbled: dtype code ${code} is none of 1 (float32), 2 (int32), 3 (uint8)`,
  );
}

function checkDataType(dtype: DType, data: ArrayBufferView): void {
  switch (dtype) {
    case "float32":
      if (data instanceof Float32Array) return;
      break;
    case "int32":
      if (data instanceof Int32Array) return;
      break;
    case "uint8":
      if (data instanceof Uint8Array) return;
      break;
    default: {
      const unreachable: never = dtype;
      throw new RangeError(`Unknown dtype '${unreachable}'`);
    }
  }
  throw new RangeError(
    `Cannot encode a ${dtype} tensor whose data is a ${data.constructor.name}`,
  );
}

function writeLittleEndian(
  dtype: DType,
  data: TypedArrayOf[DType],
  target: Uint8Array,
  offset: number,
): void {
  if (LITTLE_ENDIAN_HOST || dtype === "uint8") {
    target.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset + offset);
  for (let i = 0; i < data.length; i++) {
    if (dtype === "float32") view.setFloat32(4 * i, data[i] as number, true);
    else view.setInt32(4 * i, data[i] as number, true);
  }
}

function readLittleEndian(
  dtype: DType,
  bytes: Uint8Array,
  offset: number,
  size: number,
): TypedArrayOf[DType] {
  switch (dtype) {
    case "uint8":
      return bytes.subarray(offset, offset + size);
    case "float32":
    case "int32": {
      const start = bytes.byteOffset + offset;
      const aligned = LITTLE_ENDIAN_HOST && start % 4 === 0;
      const values = dtype === "float32"
        ? (aligned ? new Float32Array(bytes.buffer, start, size) : new Float32Array(size))
        : (aligned ? new Int32Array(bytes.buffer, start, size) : new Int32Array(size));
      if (aligned) return values;
      if (LITTLE_ENDIAN_HOST) {
        // Unaligned input: copy the bytes into the new array's own buffer.
        new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + 4 * size));
        return values;
      }
      const view = new DataView(bytes.buffer, start, 4 * size);
      for (let i = 0; i < size; i++) {
        values[i] = dtype === "float32" ? view.getFloat32(4 * i, true) : view.getInt32(4 * i, true);
      }
      return values;
    }
    default: {
      const unreachable: never = dtype;
      throw new TensorFileError(`Unknown dtype '${unreachable}'`);
    }
  }
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
}
