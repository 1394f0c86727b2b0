/**
 * A faster matrix product for the `wasm` backend. tfjs-backend-wasm 4.22
 * multiplies matrices about ten times slower when an operand is marked as
 * transposed (1.4 against 16 GFLOP/s for 256×784 · 784×784), and
 * backpropagation asks for exactly those products (xᵀ·δ and δ·Wᵀ). Moving
 * the transposed operand into the plain layout first costs one pass over it
 * and lets the fast path do the product.
 *
 * @module
 */
import type { Tfjs } from "./backend.ts";

type KernelConfig = NonNullable<ReturnType<Tfjs["getKernel"]>>;
type KernelArguments = Parameters<KernelConfig["kernelFunc"]>[0];
type TensorInfo = NonNullable<KernelArguments["inputs"][string]>;
/** The part of a backend the kernel uses (kernels receive the backend untyped). */
type Backend = { disposeData(dataId: object): void };

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
    const transposeA = attrs?.transposeA === true;
    const transposeB = attrs?.transposeB === true;
    if (!transposeA && !transposeB) return stock.kernelFunc(args);
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const plainA = transposeA ? swapLastTwo(a, backend) : a;
    const plainB = transposeB ? swapLastTwo(b, backend) : b;
    const product = stock.kernelFunc({
      inputs: { a: plainA, b: plainB },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    if (transposeA) (backend as Backend).disposeData(plainA.dataId);
    if (transposeB) (backend as Backend).disposeData(plainB.dataId);
    return product;
  };
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel({ ...stock, kernelFunc });
}
