/**
 * The training worker: a Web Worker that loads its own TensorFlow.js
 * backend, holds a replica of the weights and runs its part of each epoch on
 * arrays shared with the main thread and the other workers. Started by
 * `_worker_pool.ts` with the name {@link TRAIN_WORKER_NAME}; imported
 * anywhere else, this module only declares the message types.
 *
 * @module
 */
import type { BackendName } from "../backend.ts";
import { loadBackend } from "../backend.ts";
import type { DenseLayerPlan } from "../autoencoder.ts";
import type { LossName } from "./_gradient.ts";
import { createReplica } from "./_gradient.ts";
import type { EpochTask, Participant, TrainingArrays } from "./_epoch_loop.ts";
import { runEpochPart } from "./_epoch_loop.ts";
import { errorMessage } from "../../engine/error_message.ts";

/** The `name` a training worker is started with. */
export const TRAIN_WORKER_NAME = "encluster-train";

/** The shared memory behind {@link TrainingArrays}, as sent to a worker. */
export interface SharedTrainingBuffers {
  readonly images: SharedArrayBuffer;
  readonly order: SharedArrayBuffer;
  readonly weights: SharedArrayBuffer;
  readonly slots: readonly SharedArrayBuffer[];
  readonly shardGradients: readonly SharedArrayBuffer[];
  readonly shardLosses: SharedArrayBuffer;
  /** Two int32: the barrier's arrival count and generation. */
  readonly barrier: SharedArrayBuffer;
}

/** Messages from the main thread to a worker. */
export type ToTrainWorker =
  | {
    readonly type: "init";
    readonly index: number;
    readonly count: number;
    readonly backend: BackendName;
    readonly plan: readonly DenseLayerPlan[];
    readonly loss: LossName;
    readonly buffers: SharedTrainingBuffers;
  }
  | { readonly type: "epoch"; readonly task: EpochTask };

/** Messages from a worker to the main thread. */
export type FromTrainWorker =
  | { readonly type: "ready" }
  | { readonly type: "step"; readonly step: number }
  | { readonly type: "done" }
  | { readonly type: "error"; readonly message: string };

/**
 * Views on shared buffers.
 *
 * @param buffers the shared memory
 * @returns typed arrays over it
 */
export function trainingArraysOf(buffers: SharedTrainingBuffers): TrainingArrays {
  return {
    images: new Float32Array(buffers.images),
    order: new Uint32Array(buffers.order),
    weights: new Float32Array(buffers.weights),
    slots: buffers.slots.map((slot) => new Float32Array(slot)),
    shardGradients: buffers.shardGradients.map((gradient) => new Float32Array(gradient)),
    shardLosses: new Float64Array(buffers.shardLosses),
  };
}

/**
 * A participant that waits for the others on a shared counter: the last to
 * arrive resets the count and advances the generation, waking the rest.
 *
 * @param index this participant
 * @param count all participants
 * @param memory two int32 shared by all of them, initially zero
 * @returns the participant
 */
function sharedParticipant(
  index: number,
  count: number,
  memory: SharedArrayBuffer,
): Participant {
  const cells = new Int32Array(memory);
  return {
    index,
    count,
    barrier() {
      const generation = Atomics.load(cells, 1);
      if (Atomics.add(cells, 0, 1) === count - 1) {
        Atomics.store(cells, 0, 0);
        Atomics.add(cells, 1, 1);
        Atomics.notify(cells, 1);
      } else {
        while (Atomics.load(cells, 1) === generation) Atomics.wait(cells, 1, generation);
      }
    },
  };
}

/** Handles messages until the worker is terminated. */
function serve(scope: {
  onmessage: ((event: MessageEvent<ToTrainWorker>) => void) | null;
  postMessage(message: FromTrainWorker): void;
}): void {
  let state:
    | {
      run(task: EpochTask, onStep?: (step: number) => void): void;
      index: number;
    }
    | undefined;
  // Messages are handled one at a time, in order, even though init is async.
  let queue = Promise.resolve();
  scope.onmessage = (event) => {
    queue = queue.then(() => handle(event.data)).catch((error) => {
      scope.postMessage({
        type: "error",
        message: errorMessage(error, true),
      });
    });
  };

  async function handle(message: ToTrainWorker): Promise<void> {
    switch (message.type) {
      case "init": {
        const { tf } = await loadBackend(message.backend);
        const replica = createReplica(tf, message.plan, message.loss);
        const arrays = trainingArraysOf(message.buffers);
        const participant = sharedParticipant(
          message.index,
          message.count,
          message.buffers.barrier,
        );
        state = {
          index: message.index,
          run: (task, onStep) => runEpochPart(replica, arrays, task, participant, onStep),
        };
        scope.postMessage({ type: "ready" });
        return;
      }
      case "epoch": {
        if (state === undefined) throw new Error("Training worker got an epoch before init");
        const reportSteps = state.index === 0;
        state.run(
          message.task,
          reportSteps ? (step) => scope.postMessage({ type: "step", step }) : undefined,
        );
        scope.postMessage({ type: "done" });
        return;
      }
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message ${JSON.stringify(unknown)}`);
      }
    }
  }
}

if ((globalThis as { name?: string }).name === TRAIN_WORKER_NAME) {
  serve(globalThis as unknown as Parameters<typeof serve>[0]);
}
