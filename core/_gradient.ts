/**
 * The autoencoder's loss and its gradient with respect to every weight, in
 * TensorFlow.js: a "replica" holds the weights as tfjs variables and turns a
 * block of input rows into one flat gradient array. The optimizer step
 * itself happens outside tfjs (see `_optimizer.ts`).
 *
 * @module
 */
import type { Tfjs } from "./backend.ts";
import type { Activation, DenseLayerPlan } from "./autoencoder.ts";
import { weightShapes } from "./autoencoder.ts";

/** Reconstruction losses (Keras names). */
export type LossName = "binaryCrossentropy" | "meanSquaredError";

/** The losses, for the configuration schema. */
export const LOSS_NAMES: readonly LossName[] = ["binaryCrossentropy", "meanSquaredError"];

/** Keras clips probabilities to [ε, 1 − ε] before taking logarithms. */
const PROBABILITY_EPSILON = 1e-7;

type Tensor = ReturnType<Tfjs["tensor"]>;

/** tfjs variables holding one copy of the weights, and the gradient of the loss. */
export interface GradientReplica {
  /**
   * Copies all weights (flattened in `weightShapes` order) into the variables.
   *
   * @param weights the weights
   */
  setWeights(weights: Float32Array): void;
  /**
   * The mean loss over `count` input rows, and its gradient.
   *
   * @param rows `count` rows of `inputDim` values, row-major
   * @param count how many rows
   * @param gradient receives the gradient, flattened like the weights
   * @returns the mean loss over the rows
   */
  gradient(rows: Float32Array, count: number, gradient: Float32Array): number;
  /** Frees the variables. */
  dispose(): void;
}

/**
 * Creates the variables and the loss function for a layer plan.
 *
 * @param tf the tfjs namespace, with the backend to compute on active
 * @param plan the autoencoder's layers
 * @param loss the reconstruction loss
 * @returns the replica; its weights are zero until `setWeights`
 */
export function createReplica(
  tf: Tfjs,
  plan: readonly DenseLayerPlan[],
  loss: LossName,
): GradientReplica {
  const shapes = weightShapes(plan);
  const sizes = shapes.map((shape) => shape.reduce((product, dim) => product * dim, 1));
  const variables = shapes.map((shape) => tf.tidy(() => tf.variable(tf.zeros(shape), true)));
  const inputDim = plan[0]!.inputs;
  const reconstructionLoss = lossFunction(tf, plan, loss);

  const forwardToLogits = (x: Tensor): Tensor => {
    let h = x;
    plan.forEach((layer, index) => {
      const z = tf.add(tf.matMul(h, variables[2 * index]!), variables[2 * index + 1]!);
      h = index === plan.length - 1 ? z : activate(tf, layer.activation, z);
    });
    return h;
  };

  return {
    setWeights(weights) {
      let offset = 0;
      variables.forEach((variable, index) => {
        const size = sizes[index]!;
        tf.tidy(() => {
          variable.assign(tf.tensor(weights.subarray(offset, offset + size), shapes[index]));
        });
        offset += size;
      });
    },
    gradient(rows, count, gradient) {
      return tf.tidy(() => {
        const x = tf.tensor2d(rows.subarray(0, count * inputDim), [count, inputDim]);
        const { value, grads } = tf.variableGrads(
          () => reconstructionLoss(forwardToLogits(x), x) as ReturnType<Tfjs["scalar"]>,
          variables,
        );
        let offset = 0;
        variables.forEach((variable, index) => {
          gradient.set(grads[variable.name]!.dataSync() as Float32Array, offset);
          offset += sizes[index]!;
        });
        return value.dataSync()[0]!;
      });
    },
    dispose() {
      tf.dispose(variables);
    },
  };
}

/**
 * The loss as a function of the output layer's pre-activation `z` and the
 * target `x`. Binary cross-entropy after a sigmoid is computed from `z`
 * directly, as softplus(z) − x·z, whose gradient (σ(z) − x) / n needs no
 * logarithms and cannot overflow; it equals Keras' clipped formula except
 * where the sigmoid saturates.
 */
function lossFunction(
  tf: Tfjs,
  plan: readonly DenseLayerPlan[],
  loss: LossName,
): (z: Tensor, x: Tensor) => Tensor {
  const outputActivation = plan[plan.length - 1]!.activation;
  switch (loss) {
    case "binaryCrossentropy":
      if (outputActivation === "sigmoid") {
        return (z, x) => {
          const withLogits = tf.customGrad((logits, save) => {
            const input = logits as Tensor;
            (save as (tensors: Tensor[]) => void)([input]);
            const value = tf.mean(tf.sub(tf.softplus(input), tf.mul(x, input)));
            const gradFunc = (dy: Tensor, saved: Tensor[]) =>
              tf.mul(dy, tf.div(tf.sub(tf.sigmoid(saved[0]!), x), x.size));
            return { value, gradFunc };
          });
          return withLogits(z);
        };
      }
      return (z, x) => {
        const p = tf.clipByValue(
          activate(tf, outputActivation, z),
          PROBABILITY_EPSILON,
          1 - PROBABILITY_EPSILON,
        );
        return tf.neg(tf.mean(tf.add(
          tf.mul(x, tf.log(p)),
          tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p))),
        )));
      };
    case "meanSquaredError":
      return (z, x) => tf.mean(tf.squaredDifference(activate(tf, outputActivation, z), x));
    default: {
      const unknown: never = loss;
      throw new Error(`Unknown loss ${unknown}`);
    }
  }
}

/**
 * Applies an activation function, as tfjs-layers' identifier of the same name does.
 *
 * @param tf the tfjs namespace
 * @param activation the function
 * @param z pre-activations
 * @returns the activations
 */
export function activate(tf: Tfjs, activation: Activation, z: Tensor): Tensor {
  switch (activation) {
    case "sigmoid":
      return tf.sigmoid(z);
    case "relu":
      return tf.relu(z);
    case "linear":
      return z;
    case "tanh":
      return tf.tanh(z);
    case "elu":
      return tf.elu(z);
    case "selu":
      return tf.selu(z);
    case "softplus":
      return tf.softplus(z);
    default: {
      const unknown: never = activation;
      throw new Error(`Unknown activation ${unknown}`);
    }
  }
}
