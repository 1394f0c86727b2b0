/**
 * Gradient-descent update rules as pure functions on typed arrays, with the
 * formulas and constants of Keras (and tfjs). They run outside tfjs so that
 * training workers can each update their own slice of the weights in shared
 * memory, and so that the optimizer's state is plain arrays that a
 * checkpoint saves and restores exactly.
 *
 * Arithmetic is in float64, stored as float32: every element's update
 * depends only on its own values, so the result is the same whichever
 * worker computes which slice.
 *
 * @module
 */

/** The update rules available. */
export type OptimizerName = "adam" | "sgd" | "rmsprop";

/** The update rules, for the configuration schema. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ["adam", "sgd", "rmsprop"];

/** Adam's decay rate of the first-moment estimate (Keras default). */
const ADAM_BETA1 = 0.9;
/** Adam's decay rate of the second-moment estimate (Keras default). */
const ADAM_BETA2 = 0.999;
/** RMSprop's decay rate of the mean square (Keras default). */
const RMSPROP_RHO = 0.9;
/** Added to denominators against division by zero (Keras' backend epsilon). */
const EPSILON = 1e-7;

/**
 * How many state arrays, each as long as the weights, an update rule keeps.
 *
 * @param name the update rule
 * @returns 2 for Adam (first and second moments), 1 for RMSprop (mean
 *   square), 0 for SGD
 */
export function optimizerSlotCount(name: OptimizerName): number {
  switch (name) {
    case "adam":
      return 2;
    case "rmsprop":
      return 1;
    case "sgd":
      return 0;
    default: {
      const unknown: never = name;
      throw new Error(`Unknown optimizer ${unknown}`);
    }
  }
}

/**
 * Applies one update to `weights[from..to)` in place.
 *
 * @param name the update rule
 * @param weights all weights, flattened
 * @param gradient the gradient of the loss at `weights`, same layout (float32 or float64)
 * @param slots the rule's state arrays ({@link optimizerSlotCount}), updated in place
 * @param learningRate step size for this update
 * @param iteration 1 for the first update, 2 for the second… (Adam's bias correction)
 * @param from first element to update
 * @param to one past the last element to update
 * @example
 * ```ts
 * import { applyOptimizerUpdate } from "./_optimizer.ts";
 *
 * // Plain gradient descent: w ← w − 0.5 × g.
 * const weights = new Float32Array([1, 2]);
 * applyOptimizerUpdate("sgd", weights, new Float32Array([2, -2]), [], 0.5, 1);
 * if (weights.join() !== "0,3") throw new Error(`got ${weights}`);
 * ```
 */
export function applyOptimizerUpdate(
  name: OptimizerName,
  weights: Float32Array,
  gradient: Float32Array | Float64Array,
  slots: readonly Float32Array[],
  learningRate: number,
  iteration: number,
  from = 0,
  to = weights.length,
): void {
  switch (name) {
    case "adam": {
      const [m, v] = slots as [Float32Array, Float32Array];
      const stepSize = learningRate / (1 - ADAM_BETA1 ** iteration);
      const secondCorrection = 1 / (1 - ADAM_BETA2 ** iteration);
      for (let i = from; i < to; i++) {
        const g = gradient[i]!;
        const first = ADAM_BETA1 * m[i]! + (1 - ADAM_BETA1) * g;
        const second = ADAM_BETA2 * v[i]! + (1 - ADAM_BETA2) * g * g;
        m[i] = first;
        v[i] = second;
        weights[i] = weights[i]! -
          stepSize * first / (Math.sqrt(second * secondCorrection) + EPSILON);
      }
      return;
    }
    case "rmsprop": {
      const [meanSquare] = slots as [Float32Array];
      for (let i = from; i < to; i++) {
        const g = gradient[i]!;
        const square = RMSPROP_RHO * meanSquare[i]! + (1 - RMSPROP_RHO) * g * g;
        meanSquare[i] = square;
        weights[i] = weights[i]! - learningRate * g / (Math.sqrt(square) + EPSILON);
      }
      return;
    }
    case "sgd":
      for (let i = from; i < to; i++) weights[i] = weights[i]! - learningRate * gradient[i]!;
      return;
    default: {
      const unknown: never = name;
      throw new Error(`Unknown optimizer ${unknown}`);
    }
  }
}
