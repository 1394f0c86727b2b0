/**
 * A faster matrix product for the `wasm` backend. tfjs-backend-wasm 4.22
 * multiplies matrices about ten times slower when an operand is marked as
 * transposed (1.4 against 16 GFLOP/s for 256×784 · 784×784), and
 * backpropagation asks for exactly those products (xᵀ·δ and δ·Wᵀ). Moving
 * the transposed operand into the plain layout first costs one pass over it
 * and lets the fast path do the product. That fast path repacks its right
 * operand for every new tensor, so when the right operand is the larger (the
 * weights, new after every training step) the product is taken as (Bᵀ·Aᵀ)ᵀ,
 * which gives the same bits.
 *
 * @module
 */
import type { Tfjs } from "./tfjs.ts";

type KernelConfig = NonNullable<ReturnType<Tfjs["getKernel"]>>;
type KernelArguments = Parameters<KernelConfig["kernelFunc"]>[0];
type TensorInfo = NonNullable<KernelArguments["inputs"][string]>;
/** The part of a backend the kernel uses (kernels receive the backend untyped). */
type Backend = { disposeData(dataId: object): void };

/**
 * What the stock kernel's packing of its right operand costs per value, in
 * transposes of one value. XNNPACK packs the right operand whenever it is a
 * tensor it has not seen, as the weights are after every training step:
 * packing a new 784×784 operand took 10–11 ms (17 ns a value), transposing
 * it 0.7 ms. At a batch of 32, x·W took 14 ms with W packed and 5 ms as
 * (Wᵀ·xᵀ)ᵀ, which packs only the 32 rows.
 */
const PACK_COST = 15;

/** The kernel tfjs-backend-wasm registered, kept to restore it. */
let stockKernel: KernelConfig | undefined;

/** False while benchmarks compare against the stock kernel. */
let fastMatMulWanted = true;

/**
 * Chooses between the fast and the stock `BatchMatMul` kernel for `wasm`
 * from now on (the default is fast); benchmarks use it to compare the two.
 *
 * @param tf the tfjs module whose kernel registry to change
 * @param fast true for the fast kernel, false for tfjs-backend-wasm's own
 */
export function useFastMatMul(tf: Tfjs, fast: boolean): void {
  fastMatMulWanted = fast;
  if (fast) {
    registerFastMatMul(tf);
  } else if (stockKernel !== undefined && tf.getKernel("BatchMatMul", "wasm") !== stockKernel) {
    tf.unregisterKernel("BatchMatMul", "wasm");
    tf.registerKernel(stockKernel);
  }
}

/**
 * Replaces the `wasm` backend's `BatchMatMul` kernel with one that
 * transposes marked operands explicitly, then calls the original kernel with
 * plain operands. The original's `setupFunc` is kept, so this works before
 * or after the backend has started. Does nothing when the fast kernel is
 * already registered, or after `useFastMatMul(tf, false)`.
 *
 * @param tf the tfjs module whose kernel registry to change
 * @throws {Error} when the wasm backend's kernels are not registered
 */
export function registerFastMatMul(tf: Tfjs): void {
  if (!fastMatMulWanted) return;
  const current = tf.getKernel("BatchMatMul", "wasm");
  if (current === undefined) throw new Error("The wasm backend has no BatchMatMul kernel");
  if (stockKernel !== undefined && current !== stockKernel) return;
  const stock = stockKernel ?? current;
  stockKernel = stock;
  const transpose = tf.getKernel("Transpose", "wasm");
  if (transpose === undefined) throw new Error("The wasm backend has no Transpose kernel");

  const swapLastTwo = (x: TensorInfo, backend: KernelArguments["backend"]): TensorInfo => {
    const rank = x.shape.length;
    const perm = [...x.shape.keys()];
    perm[rank - 1] = rank - 2;
    perm[rank - 2] = rank - 1;
    return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
  };

  const kernelFunc: KernelConfig["kernelFunc"] = (args) => {
    const { inputs, backend, attrs } = args;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const transposeA = attrs?.transposeA === true;
    const transposeB = attrs?.transposeB === true;
    const swap = a.shape.length === 2 && b.shape.length === 2 &&
      swappingIsCheaper(a.shape, b.shape, transposeA, transposeB);
    if (!swap && !transposeA && !transposeB) return stock.kernelFunc(args);
    const temporaries: TensorInfo[] = [];
    const inLayout = (x: TensorInfo, transposed: boolean): TensorInfo => {
      if (!transposed) return x;
      const copy = swapLastTwo(x, backend);
      temporaries.push(copy);
      return copy;
    };
    const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
    let product: TensorInfo;
    if (swap) {
      // (A·B)ᵀ = Bᵀ·Aᵀ: an operand marked as transposed is already in Bᵀ's or Aᵀ's layout.
      const productT = stock.kernelFunc({
        inputs: { a: inLayout(b, !transposeB), b: inLayout(a, !transposeA) },
        backend,
        attrs: plainAttrs,
      }) as TensorInfo;
      temporaries.push(productT);
      product = swapLastTwo(productT, backend);
    } else {
      product = stock.kernelFunc({
        inputs: { a: inLayout(a, transposeA), b: inLayout(b, transposeB) },
        backend,
        attrs: plainAttrs,
      }) as TensorInfo;
    }
    for (const temporary of temporaries) (backend as Backend).disposeData(temporary.dataId);
    return product;
  };
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel({ ...stock, kernelFunc });
}

/**
 * Whether computing A·B as (Bᵀ·Aᵀ)ᵀ moves fewer values than computing it
 * directly: the stock kernel packs its right operand, and either way an
 * operand not in the layout the product needs is transposed first.
 *
 * @param shapeA the left operand's shape as stored
 * @param shapeB the right operand's shape as stored
 * @param transposeA whether A is stored transposed
 * @param transposeB whether B is stored transposed
 * @returns true when the swapped form is cheaper
 */
export function swappingIsCheaper(
  shapeA: readonly number[],
  shapeB: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): boolean {
  const sizeA = shapeA[0]! * shapeA[1]!;
  const sizeB = shapeB[0]! * shapeB[1]!;
  const sizeProduct = (transposeA ? shapeA[1]! : shapeA[0]!) *
    (transposeB ? shapeB[0]! : shapeB[1]!);
  const direct = PACK_COST * sizeB + (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0);
  const swapped = PACK_COST * sizeA + (transposeA ? 0 : sizeA) + (transposeB ? 0 : sizeB) +
    sizeProduct;
  return swapped < direct;
}
