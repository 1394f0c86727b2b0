/**
 * Tensors as stages pass them: a dtype, a shape and a typed array, with no
 * library behind them, so stages and the store agree on one plain form.
 *
 * @module
 */
/** Element types a stored tensor may hold. */
export type DType = "float32" | "int32" | "uint8";

/** The typed array that backs each {@link DType}. */
export interface TypedArrayOf {
  float32: Float32Array;
  int32: Int32Array;
  uint8: Uint8Array;
}

/**
 * A dense, row-major array with a shape: what stages pass to each other for
 * images, encodings, assignments and centroids.
 */
export interface Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: TypedArrayOf[D];
}

/**
 * Builds a tensor after checking that the data fills the shape exactly.
 *
 * @param dtype element type
 * @param shape dimensions, outermost first
 * @param data row-major values; its length must equal the product of `shape`
 * @returns the tensor
 * @throws {RangeError} when the data length does not match the shape
 * @example
 * ```ts
 * const t = tensor("float32", [2, 2], new Float32Array([1, 2, 3, 4]));
 * ```
 */
export function tensor<D extends DType>(
  dtype: D,
  shape: readonly number[],
  data: TypedArrayOf[D],
): Tensor<D> {
  const size = shape.reduce((product, dim) => product * dim, 1);
  if (data.length !== size) {
    throw new RangeError(
      `Cannot build a ${dtype} tensor of shape [${shape}]: it needs ${size} values, got ${data.length}`,
    );
  }
  return { dtype, shape: [...shape], data };
}

/** True when `value` has the shape of a {@link Tensor}. */
export function isTensor(value: unknown): value is Tensor {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Tensor>;
  return typeof candidate.dtype === "string" && Array.isArray(candidate.shape) &&
    ArrayBuffer.isView(candidate.data);
}
