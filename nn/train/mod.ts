/**
 * Training the autoencoder: the epoch loop with its seeded shuffle,
 * checkpoints and progress (`train_autoencoder.ts`, the one public module),
 * and behind it the hand-written gradient, the update rules, the
 * learning-rate schedules, the data-parallel workers and the checkpoint
 * file, each in a private module.
 *
 * This is the folder's public face for readers and other programs. The
 * `train` stage imports `../nn/train/train_autoencoder.ts` rather than this
 * one: a stage's cache key digests every module it imports.
 *
 * @module
 */
export type {
  DivergedQuantity,
  LearningRateSchedule,
  LossName,
  OptimizerName,
  TrainEnvironment,
  TrainResult,
  TrainSettings,
} from "./train_autoencoder.ts";
export {
  LEARNING_RATE_SCHEDULES,
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  trainAutoencoder,
  TrainingDivergedError,
} from "./train_autoencoder.ts";
