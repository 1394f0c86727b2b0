/**
 * The `train` stage: trains the dense autoencoder on `normalise`'s training
 * rows and outputs it in TensorFlow.js's format.
 *
 * @module
 */
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { Stage, StageOutputs } from "../engine/stage.ts";
import type { BackendChoice } from "../nn/backend.ts";
import { loadBackend } from "../nn/backend.ts";
import { unkeyedFields } from "../config/schema.ts";
import { backendToUse, tensorflowEnvironment } from "./_environment.ts";
import type { AutoencoderSpec } from "../nn/autoencoder.ts";
import { ACTIVATIONS, buildModel, saveModel } from "../nn/autoencoder.ts";
import {
  LEARNING_RATE_SCHEDULES,
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  trainAutoencoder,
  TrainingDivergedError,
} from "../nn/train/train_autoencoder.ts";

/** The `train` configuration section. */
export const trainSection = {
  encoderLayers: {
    type: "integers",
    default: [784, 64, 32],
    min: 1,
    doc: "widths of the encoder's hidden layers, input side first; the decoder mirrors them " +
      "after the first (the seed's 784→784→64→32→3 encoder gets a 3→32→64→784 decoder)",
  },
  encodedDim: {
    type: "integer",
    default: 3,
    min: 1,
    doc: "width of the code: the dimension of the encoding that is clustered",
  },
  hiddenActivation: {
    type: "enum",
    values: ACTIVATIONS,
    default: "sigmoid",
    doc: "activation of every hidden layer, encoder and decoder",
  },
  codeActivation: {
    type: "enum",
    values: ACTIVATIONS,
    default: "sigmoid",
    doc: "activation of the code layer",
  },
  outputActivation: {
    type: "enum",
    values: ACTIVATIONS,
    default: "sigmoid",
    doc: "activation of the reconstruction layer",
  },
  loss: {
    type: "enum",
    values: LOSS_NAMES,
    default: "binaryCrossentropy",
    doc: "reconstruction loss (binaryCrossentropy expects targets in [0, 1])",
  },
  optimizer: {
    type: "enum",
    values: OPTIMIZER_NAMES,
    default: "adam",
    doc: "update rule, with Keras' constants (Adam β₁ 0.9, β₂ 0.999; RMSprop ρ 0.9; ε 1e-7)",
  },
  learningRate: {
    type: "number",
    default: 0.003,
    min: 0,
    exclusiveMin: true,
    doc: "step size of the optimizer (the initial one under a schedule)",
  },
  learningRateSchedule: {
    type: "enum",
    values: LEARNING_RATE_SCHEDULES,
    default: "constant",
    doc: "'constant', or 'cosine': falls from learningRate to 0 over the run along half a " +
      "cosine wave",
  },
  epochs: {
    type: "integer",
    default: 30,
    min: 1,
    doc: "passes over the training images",
  },
  batchSize: {
    type: "integer",
    default: 64,
    min: 1,
    doc: "images per optimizer update",
  },
  shuffle: {
    type: "boolean",
    default: true,
    doc: "visit the images in a new seeded random order every epoch",
  },
  seed: {
    type: "integer",
    default: 0,
    doc: "seeds the initial weights (Glorot uniform, zero biases) and the shuffles",
  },
  shards: {
    type: "integer",
    default: 2,
    min: 1,
    max: 64,
    doc: "parts each batch is split into; their gradients are computed in parallel (one " +
      "worker each, up to the number of cores) and averaged. Changes results only by rounding",
  },
  checkpointEvery: {
    type: "integer",
    default: 1,
    min: 0,
    doc: "save a checkpoint every this many epochs, from which a killed run resumes " +
      "(0: never). Not part of the cache key: the weights come out the same",
    affectsOutputs: false,
  },
} as const satisfies SectionSchema;

/** The `train` section's values. */
export type TrainConfig = SectionValues<typeof trainSection>;

/** The configuration slice the `train` stage reads. */
export interface TrainStageConfig {
  readonly train: TrainConfig;
  readonly backend: BackendChoice;
}

/**
 * Trains the autoencoder on `normalise.train` (float32, N × features).
 * Outputs `modelJson` (tfjs model topology and weights manifest), `weights`
 * (the weight bytes) and `history` (`{ loss: [...] }`, the mean loss of each
 * epoch, also noted as `loss`). A run whose loss or weights become NaN or
 * infinite fails with what to change, and stores nothing.
 */
export const trainStage: Stage<TrainStageConfig> = {
  name: "train",
  needs: ["normalise"],
  reads: ["train", "backend"],
  source: import.meta.url,
  unkeyed: unkeyedFields({ train: trainSection }),
  // Its gradient workers: one per shard up to the cores; TensorFlow uses every core itself.
  cores: ({ train, backend }) =>
    backend === "tensorflow"
      ? navigator.hardwareConcurrency
      : Math.min(train.shards, navigator.hardwareConcurrency),
  environment: ({ backend }) => tensorflowEnvironment(backend),
  async run(inputs, context): Promise<StageOutputs> {
    const images = inputs.tensor("normalise", "train", "float32");
    const config = context.config.train;
    const choice = backendToUse(context.environment, context.config.backend);
    const { tf, name } = await loadBackend(choice, context.log);
    context.note("backend", name);
    const spec: AutoencoderSpec = {
      inputDim: images.shape[1] ?? 0,
      encoderLayers: config.encoderLayers,
      encodedDim: config.encodedDim,
      hiddenActivation: config.hiddenActivation,
      codeActivation: config.codeActivation,
      outputActivation: config.outputActivation,
    };
    const { weights, history } = await trainAutoencoder(images, {
      spec,
      loss: config.loss,
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      learningRateSchedule: config.learningRateSchedule,
      epochs: config.epochs,
      batchSize: config.batchSize,
      shuffle: config.shuffle,
      seed: config.seed,
      shards: config.shards,
      checkpointEvery: config.checkpointEvery,
    }, {
      backend: name,
      scratchDir: context.scratchDir,
      interactive: context.interactive,
      log: context.log,
    }).catch((error) => {
      throw error instanceof TrainingDivergedError
        ? new Error(divergenceAdvice(error, config.learningRate))
        : error;
    });
    context.note("loss", history);
    const model = buildModel(tf, spec, weights);
    try {
      const saved = await saveModel(tf, model);
      return { modelJson: saved.modelJson, weights: saved.weights, history: { loss: history } };
    } finally {
      model.dispose();
    }
  },
};

/**
 * What the user reads when training diverged: where, and a learning rate ten
 * times smaller to try (the usual cause; the current one is given).
 */
function divergenceAdvice(error: TrainingDivergedError, learningRate: number): string {
  const smaller = Number((learningRate / 10).toPrecision(3));
  return `${error.message}; nothing of it is kept. A smaller train.learningRate usually ` +
    `helps: it is ${learningRate}, try train.learningRate ${smaller} ` +
    `(--set train.learningRate=${smaller})`;
}
