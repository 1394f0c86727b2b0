/**
 * One epoch of minibatch training as run by each participant (the main
 * thread alone, or each of several workers). Every batch is split into a
 * fixed number of shards; participant `p` of `P` computes the gradients of
 * shards p, p + P, …, all participants wait for each other, then each
 * combines the shard gradients (weighted by shard size, in shard order) and
 * applies the optimizer to its own slice of the weights in shared memory.
 * Because the shards do not depend on how many participants there are, the
 * weights come out bit for bit the same with one worker or several.
 *
 * A step whose loss is NaN or infinite ends the epoch before its update:
 * after the barrier every participant reads the same losses, so all stop
 * together, and the caller finds the step in `shardLosses`.
 *
 * @module
 */
import type { GradientReplica } from "./_gradient.ts";
import type { OptimizerName } from "./_optimizer.ts";
import { applyOptimizerUpdate } from "./_optimizer.ts";
import { firstNonFinite } from "./_finite.ts";

/** The arrays training reads and writes; shared between workers when there are several. */
export interface TrainingArrays {
  /** All training rows, `rows × inputDim`. */
  readonly images: Float32Array;
  /** This epoch's order of the rows (indices into `images`). */
  readonly order: Uint32Array;
  /** The weights, flattened in `weightShapes` order. */
  readonly weights: Float32Array;
  /** The optimizer's state arrays, each as long as `weights`. */
  readonly slots: readonly Float32Array[];
  /** One gradient per shard, each as long as `weights`. */
  readonly shardGradients: readonly Float32Array[];
  /** Mean loss of each shard of each step of the epoch: `step × shards + shard`. */
  readonly shardLosses: Float64Array;
}

/** What one epoch does. */
export interface EpochTask {
  /** Values per input row (the width of `images`). */
  readonly inputDim: number;
  /** Rows per batch; the last batch may be smaller. */
  readonly batchSize: number;
  /** Optimizer updates already made before this epoch (Adam's bias correction counts on). */
  readonly iterationsBefore: number;
  /** The learning rate of each step of this epoch. */
  readonly learningRates: Float64Array;
  /** The update rule. */
  readonly optimizer: OptimizerName;
}

/** Who is running the loop, and how to wait for the others. */
export interface Participant {
  /** 0-based index among the participants. */
  readonly index: number;
  /** How many participants there are. */
  readonly count: number;
  /** Blocks until every participant has called it (a no-op when alone). */
  barrier(): void;
}

/**
 * The number of optimizer steps in an epoch.
 *
 * @param rows training rows
 * @param batchSize rows per batch
 * @returns ⌈rows / batchSize⌉
 */
export function stepsPerEpoch(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}

/**
 * The rows of shard `shard` of a batch of `size` rows, relative to the batch
 * start (also used to split the weights among participants).
 *
 * @param size rows in the batch
 * @param shards parts the batch is split into
 * @param shard which part, 0-based
 * @returns `[from, to)`; empty when the batch has fewer rows than shards
 */
function shardRange(size: number, shards: number, shard: number): [number, number] {
  return [Math.floor((size * shard) / shards), Math.floor((size * (shard + 1)) / shards)];
}

/**
 * Runs this participant's part of one epoch, up to its first step whose
 * loss is not finite.
 *
 * @param replica tfjs variables and the loss gradient
 * @param arrays the shared arrays
 * @param task what the epoch does
 * @param participant who runs this part
 * @param onStep called after each step, when every participant has finished it
 */
export function runEpochPart(
  replica: GradientReplica,
  arrays: TrainingArrays,
  task: EpochTask,
  participant: Participant,
  onStep?: (step: number) => void,
): void {
  const { images, order, weights, slots, shardGradients, shardLosses } = arrays;
  const { inputDim, batchSize } = task;
  const shards = shardGradients.length;
  const rows = order.length;
  const steps = stepsPerEpoch(rows, batchSize);
  const [sliceFrom, sliceTo] = shardRange(weights.length, participant.count, participant.index);
  const batchRows = new Float32Array(Math.ceil(batchSize / shards) * inputDim);
  const combined = new Float64Array(shards > 1 ? weights.length : 0);
  const shardWeights = new Float64Array(shards);

  for (let step = 0; step < steps; step++) {
    replica.setWeights(weights);
    const batchStart = step * batchSize;
    const size = Math.min(batchSize, rows - batchStart);
    for (let shard = participant.index; shard < shards; shard += participant.count) {
      const [from, to] = shardRange(size, shards, shard);
      const count = to - from;
      let loss = 0;
      if (count === 0) {
        shardGradients[shard]!.fill(0);
      } else {
        for (let row = 0; row < count; row++) {
          const source = order[batchStart + from + row]! * inputDim;
          batchRows.set(images.subarray(source, source + inputDim), row * inputDim);
        }
        loss = replica.gradient(batchRows, count, shardGradients[shard]!);
      }
      shardLosses[step * shards + shard] = loss;
    }
    participant.barrier();
    if (firstNonFinite(shardLosses.subarray(step * shards, (step + 1) * shards)) >= 0) return;

    for (let shard = 0; shard < shards; shard++) {
      const [from, to] = shardRange(size, shards, shard);
      shardWeights[shard] = (to - from) / size;
    }
    // One shard is its own mean (weight 1); more are summed shard by shard
    // over the slice (faster than shard-inner), in float64.
    const first = shardGradients[0]!;
    let mean: Float32Array | Float64Array = first;
    if (shards > 1) {
      for (let i = sliceFrom; i < sliceTo; i++) combined[i] = shardWeights[0]! * first[i]!;
      for (let shard = 1; shard < shards; shard++) {
        const gradient = shardGradients[shard]!;
        const weight = shardWeights[shard]!;
        for (let i = sliceFrom; i < sliceTo; i++) combined[i]! += weight * gradient[i]!;
      }
      mean = combined;
    }
    applyOptimizerUpdate(
      task.optimizer,
      weights,
      mean,
      slots,
      task.learningRates[step]!,
      task.iterationsBefore + step + 1,
      sliceFrom,
      sliceTo,
    );
    participant.barrier();
    onStep?.(step);
  }
}

/**
 * The mean loss of an epoch: each shard's mean loss weighted by its rows.
 *
 * @param shardLosses as filled by {@link runEpochPart}
 * @param rows training rows
 * @param batchSize rows per batch
 * @param shards shards per batch
 * @param throughStep only count steps up to this one (for a running figure)
 * @returns the mean loss per row over the counted steps
 */
export function epochLoss(
  shardLosses: Float64Array,
  rows: number,
  batchSize: number,
  shards: number,
  throughStep = stepsPerEpoch(rows, batchSize) - 1,
): number {
  let sum = 0;
  let counted = 0;
  for (let step = 0; step <= throughStep; step++) {
    const size = Math.min(batchSize, rows - step * batchSize);
    for (let shard = 0; shard < shards; shard++) {
      const [from, to] = shardRange(size, shards, shard);
      sum += shardLosses[step * shards + shard]! * (to - from);
      counted += to - from;
    }
  }
  return counted === 0 ? 0 : sum / counted;
}
