/**
 * The training loop: minibatch gradient descent on the autoencoder's
 * reconstruction loss, epoch after epoch, with a seeded shuffle,
 * checkpoints a killed run resumes from (a damaged one is set aside, never
 * resumed from), and progress on stderr.
 *
 * Each batch is split into `shards` equal parts whose gradients are averaged;
 * with several cores the parts are computed in parallel by workers (one per
 * shard, up to the number of cores), each holding a copy of the model and
 * updating its slice of the shared weights. The weights depend on `shards`
 * (through rounding) but not on how many workers computed them.
 *
 * This is the public module of `nn/train/`: it also exports the names of
 * the losses, update rules and learning-rate schedules (defined in the
 * private modules that implement them) for the `train` configuration
 * section, so the stage needs no private module.
 *
 * @module
 */
import type { Tensor } from "../../engine/tensor.ts";
import type { BackendName } from "../backend.ts";
import { loadBackend } from "../backend.ts";
import type { AutoencoderSpec, DenseLayerPlan } from "../autoencoder.ts";
import { countWeights, initialWeights, layerPlan } from "../autoencoder.ts";
import type { LossName } from "./_gradient.ts";
import { createReplica } from "./_gradient.ts";
import type { OptimizerName } from "./_optimizer.ts";
import { optimizerSlotCount } from "./_optimizer.ts";
import type { LearningRateSchedule } from "./_learning_rate.ts";
import { learningRateAt } from "./_learning_rate.ts";
import type { EpochTask, TrainingArrays } from "./_epoch_loop.ts";
import { epochLoss, runEpochPart, stepsPerEpoch } from "./_epoch_loop.ts";
import type { SharedTrainingBuffers } from "./_train_worker.ts";
import { trainingArraysOf } from "./_train_worker.ts";
import { TrainWorkerPool } from "./_worker_pool.ts";
import type { Checkpoint } from "./_checkpoint.ts";
import { checkpointPaths, readCheckpoint, writeCheckpoint } from "./_checkpoint.ts";
import { EpochProgress } from "./progress.ts";
import type { DivergedQuantity } from "./training_diverged_error.ts";
import { TrainingDivergedError } from "./training_diverged_error.ts";
import { firstNonFinite } from "./_finite.ts";
import { Random } from "../../ml/random.ts";
import { errorMessage } from "../../engine/error_message.ts";

export type { LossName } from "./_gradient.ts";
export { LOSS_NAMES } from "./_gradient.ts";
export type { OptimizerName } from "./_optimizer.ts";
export { OPTIMIZER_NAMES } from "./_optimizer.ts";
export type { LearningRateSchedule } from "./_learning_rate.ts";
export { LEARNING_RATE_SCHEDULES } from "./_learning_rate.ts";
export type { DivergedQuantity } from "./training_diverged_error.ts";
export { TrainingDivergedError } from "./training_diverged_error.ts";

/** How to train: everything that changes the resulting weights. */
export interface TrainSettings {
  /** Widths and activations. */
  readonly spec: AutoencoderSpec;
  /** Reconstruction loss. */
  readonly loss: LossName;
  /** Update rule. */
  readonly optimizer: OptimizerName;
  /** Initial step size. */
  readonly learningRate: number;
  /** How the step size changes over the run. */
  readonly learningRateSchedule: LearningRateSchedule;
  /** Passes over the training rows. */
  readonly epochs: number;
  /** Rows per update. */
  readonly batchSize: number;
  /** Visit the rows in a new random order each epoch (else in their order). */
  readonly shuffle: boolean;
  /** Seeds the initial weights and the shuffles. */
  readonly seed: number;
  /** Parts each batch is split into for parallel gradients. */
  readonly shards: number;
  /** Save a checkpoint every this many epochs (0: never). */
  readonly checkpointEvery: number;
}

/** Where training runs and reports: nothing here changes the weights. */
export interface TrainEnvironment {
  /** The backend to compute on (already resolved from `auto`). */
  readonly backend: BackendName;
  /**
   * Workers to use; default: one per shard up to the number of cores, or none
   * (the main thread trains) for small models and for `tensorflow`.
   */
  readonly workers?: number;
  /** Directory for checkpoints; without one, nothing is saved or resumed. */
  readonly scratchDir?: string;
  /** True to draw a progress bar; false for one line per epoch. */
  readonly interactive: boolean;
  /** Logs a line. */
  readonly log: (line: string) => void;
  /** Writes raw text to the terminal (for the bar); stderr by default. */
  readonly write?: (text: string) => void;
  /** Called after each epoch, once its checkpoint (if due) is written. */
  readonly afterEpoch?: (epoch: number, loss: number) => void;
}

/** What training produces. */
export interface TrainResult {
  /** Final weights, flattened in `weightShapes` order. */
  readonly weights: Float32Array;
  /** Mean loss of each epoch. */
  readonly history: number[];
  /** The epoch a checkpoint resumed from (0 when training started afresh). */
  readonly resumedAfterEpoch: number;
}

/**
 * Trains an autoencoder on `images`.
 *
 * @param images float32 rows, N × `spec.inputDim`
 * @param settings everything that changes the weights
 * @param environment backend, workers, checkpoint directory, and reporting
 * @returns the final weights and the loss per epoch
 * @throws {RangeError} when there are no images or they do not have the spec's width
 * @throws {TrainingDivergedError} when a step's loss, or the weights or the optimizer's state
 *   at the end of an epoch, are NaN or infinite (that epoch's checkpoint is not written)
 */
export async function trainAutoencoder(
  images: Tensor<"float32">,
  settings: TrainSettings,
  environment: TrainEnvironment,
): Promise<TrainResult> {
  const [rows = 0, inputDim = 0] = images.shape;
  if (images.shape.length !== 2 || inputDim !== settings.spec.inputDim || rows === 0) {
    throw new RangeError(
      `Cannot train on images of shape [${images.shape}]: expected [N, ${settings.spec.inputDim}] ` +
        `with N ≥ 1`,
    );
  }
  const plan = layerPlan(settings.spec);
  const weightCount = countWeights(plan);
  const workers = environment.workers ??
    defaultWorkers(settings, weightCount, environment.backend);
  const arrays = allocate(images.data, rows, weightCount, settings, workers > 1);
  const fingerprint = JSON.stringify({ settings, rows, backend: environment.backend });
  const checkpoints = settings.checkpointEvery > 0 ? environment.scratchDir : undefined;

  let history: number[] = [];
  let iterations = 0;
  const resumed = checkpoints === undefined
    ? undefined
    : await resumable(checkpoints, fingerprint, {
      weights: weightCount,
      slots: optimizerSlotCount(settings.optimizer),
      stepsPerEpoch: stepsPerEpoch(rows, settings.batchSize),
    }, environment.log);
  if (resumed === undefined) {
    arrays.views.weights.set(initialWeights(plan, settings.seed));
  } else {
    arrays.views.weights.set(resumed.weights);
    resumed.slots.forEach((slot, index) => arrays.views.slots[index]!.set(slot));
    history = [...resumed.history];
    iterations = resumed.iterations;
    environment.log(
      `resuming after epoch ${resumed.epoch}/${settings.epochs} from the checkpoint in ` +
        checkpoints,
    );
  }

  const runner = await startRunner(workers, plan, settings.loss, environment.backend, arrays);
  const steps = stepsPerEpoch(rows, settings.batchSize);
  environment.log(
    `training ${weightCount} weights on ${rows} images, ${steps} steps per epoch, ` +
      (workers > 1 ? `on ${workers} workers` : "on the main thread"),
  );
  const encoder = new TextEncoder();
  const progress = new EpochProgress({
    epochs: settings.epochs,
    samples: rows,
    interactive: environment.interactive,
    log: environment.log,
    write: environment.write ?? ((text) => Deno.stderr.writeSync(encoder.encode(text))),
  });
  try {
    for (let epoch = history.length + 1; epoch <= settings.epochs; epoch++) {
      writeOrder(arrays.views.order, settings, epoch);
      const task: EpochTask = {
        inputDim,
        batchSize: settings.batchSize,
        iterationsBefore: iterations,
        learningRates: Float64Array.from(
          { length: steps },
          (_, step) =>
            learningRateAt(
              settings.learningRateSchedule,
              settings.learningRate,
              iterations + step,
              steps * settings.epochs,
            ),
        ),
        optimizer: settings.optimizer,
      };
      progress.start(epoch);
      await runner.runEpoch(task, (step) => {
        if (!environment.interactive) return;
        const { shardLosses } = arrays.views;
        const loss = epochLoss(shardLosses, rows, settings.batchSize, settings.shards, step);
        progress.update(Math.min(rows, (step + 1) * settings.batchSize), loss);
      });
      const diverged = findDivergence(arrays.views, steps, settings.shards);
      if (diverged !== undefined) {
        progress.finish(diverged.value);
        throw new TrainingDivergedError(
          epoch,
          settings.epochs,
          diverged.step,
          steps,
          diverged.quantity,
          diverged.value,
        );
      }
      const loss = epochLoss(arrays.views.shardLosses, rows, settings.batchSize, settings.shards);
      progress.finish(loss);
      history.push(loss);
      iterations += steps;
      if (checkpoints !== undefined && epoch % settings.checkpointEvery === 0) {
        await writeCheckpoint(checkpoints, {
          fingerprint,
          epoch,
          iterations,
          history,
          weights: arrays.views.weights,
          slots: arrays.views.slots,
        });
      }
      environment.afterEpoch?.(epoch, loss);
    }
  } finally {
    runner.close();
  }
  return {
    weights: arrays.views.weights.slice(),
    history,
    resumedAfterEpoch: resumed?.epoch ?? 0,
  };
}

/**
 * Multiply-adds per shard and step below which workers cost more (starting,
 * and meeting at every step) than they save; the seed's model at batch 256
 * does 92 million.
 */
const PARALLEL_WORK_THRESHOLD = 2 ** 24;

/**
 * Workers to use by default: one per shard, at most one per core; none
 * (training on the main thread) for small models, and for native TensorFlow,
 * which already uses every core.
 */
function defaultWorkers(
  settings: TrainSettings,
  weightCount: number,
  backend: BackendName,
): number {
  const workPerShard = weightCount * settings.batchSize / settings.shards;
  if (backend === "tensorflow" || workPerShard < PARALLEL_WORK_THRESHOLD) return 1;
  return Math.max(1, Math.min(settings.shards, navigator.hardwareConcurrency || 1));
}

/** The training arrays, in shared memory when workers will use them. */
interface AllocatedArrays {
  readonly views: TrainingArrays;
  readonly shared: SharedTrainingBuffers | undefined;
}

function allocate(
  images: Float32Array,
  rows: number,
  weightCount: number,
  settings: TrainSettings,
  shared: boolean,
): AllocatedArrays {
  const steps = stepsPerEpoch(rows, settings.batchSize);
  const slotCount = optimizerSlotCount(settings.optimizer);
  if (!shared) {
    return {
      shared: undefined,
      views: {
        images,
        order: new Uint32Array(rows),
        weights: new Float32Array(weightCount),
        slots: Array.from({ length: slotCount }, () => new Float32Array(weightCount)),
        shardGradients: Array.from(
          { length: settings.shards },
          () => new Float32Array(weightCount),
        ),
        shardLosses: new Float64Array(steps * settings.shards),
      },
    };
  }
  const floats = (count: number) => new SharedArrayBuffer(count * 4);
  const buffers: SharedTrainingBuffers = {
    images: floats(images.length),
    order: floats(rows),
    weights: floats(weightCount),
    slots: Array.from({ length: slotCount }, () => floats(weightCount)),
    shardGradients: Array.from({ length: settings.shards }, () => floats(weightCount)),
    shardLosses: new SharedArrayBuffer(steps * settings.shards * 8),
    barrier: new SharedArrayBuffer(8),
  };
  const views = trainingArraysOf(buffers);
  (views.images as Float32Array).set(images);
  return { shared: buffers, views };
}

/** Runs epochs: on worker threads, or on this thread when there is one worker. */
interface EpochRunner {
  runEpoch(task: EpochTask, onStep: (step: number) => void): Promise<void>;
  close(): void;
}

async function startRunner(
  workers: number,
  plan: readonly DenseLayerPlan[],
  loss: LossName,
  backend: BackendName,
  arrays: AllocatedArrays,
): Promise<EpochRunner> {
  if (arrays.shared !== undefined) {
    return await TrainWorkerPool.start({ workers, backend, plan, loss, buffers: arrays.shared });
  }
  const { tf } = await loadBackend(backend);
  const replica = createReplica(tf, plan, loss);
  const alone = { index: 0, count: 1, barrier() {} };
  return {
    runEpoch(task, onStep) {
      runEpochPart(replica, arrays.views, task, alone, onStep);
      return Promise.resolve();
    },
    close: () => replica.dispose(),
  };
}

/** Where an epoch diverged: its first step with a loss that is not finite. */
interface Divergence {
  /** 1-based; undefined when the losses were finite but the weights or slots are not. */
  readonly step: number | undefined;
  readonly quantity: DivergedQuantity;
  readonly value: number;
}

/**
 * The first NaN or infinity of the epoch just run: in its step losses
 * (computed anyway, so free to check), else in the weights and optimizer
 * state at its end (one pass over them per epoch, about a millisecond for
 * the seed model).
 */
function findDivergence(
  arrays: TrainingArrays,
  steps: number,
  shards: number,
): Divergence | undefined {
  const losses = arrays.shardLosses.subarray(0, steps * shards);
  const lossIndex = firstNonFinite(losses);
  if (lossIndex >= 0) {
    return {
      step: Math.floor(lossIndex / shards) + 1,
      quantity: "loss",
      value: losses[lossIndex]!,
    };
  }
  const weightIndex = firstNonFinite(arrays.weights);
  if (weightIndex >= 0) {
    return { step: undefined, quantity: "weights", value: arrays.weights[weightIndex]! };
  }
  for (const slot of arrays.slots) {
    const slotIndex = firstNonFinite(slot);
    if (slotIndex >= 0) {
      return { step: undefined, quantity: "optimizer state", value: slot[slotIndex]! };
    }
  }
  return undefined;
}

/** Fills `order` with epoch `epoch`'s order of the rows. */
function writeOrder(order: Uint32Array, settings: TrainSettings, epoch: number): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Each epoch's shuffle has its own seed, so resuming needs no generator state.
  if (settings.shuffle) new Random(epochSeed(settings.seed, epoch)).shuffle(order);
}

/**
 * The seed of epoch `epoch`'s shuffle: distinct for every (seed, epoch)
 * pair in practice, and different from the weight initialisation's seed.
 */
function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(epoch, 0x85ebca6b)) >>> 0;
}

/** The sizes a checkpoint of this run must have. */
interface CheckpointShape {
  readonly weights: number;
  readonly slots: number;
  readonly stepsPerEpoch: number;
}

/**
 * The checkpoint to resume from: the latest good one for these settings,
 * else the one before it. A damaged one is set aside (renamed `.damaged`,
 * with a warning), so it is neither resumed from nor met again.
 */
async function resumable(
  dir: string,
  fingerprint: string,
  shape: CheckpointShape,
  log: (line: string) => void,
): Promise<Checkpoint | undefined> {
  for (const path of checkpointPaths(dir)) {
    const read = await readCheckpoint(path);
    if (read.status === "missing") continue;
    if (read.status === "good" && read.checkpoint.fingerprint !== fingerprint) {
      log(`ignoring the checkpoint ${path}: it was saved with other settings`);
      continue;
    }
    const reason = read.status === "damaged" ? read.reason : misfit(read.checkpoint, shape);
    if (reason === undefined && read.status === "good") return read.checkpoint;
    const aside = `${path}.damaged`;
    try {
      await Deno.rename(path, aside);
      log(`warning: set aside the checkpoint ${path} as ${aside}: ${reason}`);
    } catch (error) {
      log(
        `warning: not resuming from the checkpoint ${path} (${reason}); ` +
          `it could not be renamed: ${errorMessage(error)}`,
      );
    }
  }
  return undefined;
}

/** What does not fit this run in a checkpoint of its settings, if anything. */
function misfit(checkpoint: Checkpoint, shape: CheckpointShape): string | undefined {
  if (checkpoint.weights.length !== shape.weights) {
    return `it holds ${checkpoint.weights.length} weights, not ${shape.weights}`;
  }
  if (
    checkpoint.slots.length !== shape.slots ||
    checkpoint.slots.some((slot) => slot.length !== shape.weights)
  ) {
    return `its optimizer state is not ${shape.slots} arrays of ${shape.weights}`;
  }
  if (checkpoint.iterations !== checkpoint.epoch * shape.stepsPerEpoch) {
    return `it counts ${checkpoint.iterations} updates after epoch ${checkpoint.epoch}, ` +
      `not ${checkpoint.epoch * shape.stepsPerEpoch}`;
  }
  return undefined;
}
