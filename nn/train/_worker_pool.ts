/**
 * The main thread's side of data-parallel training: starts the training
 * workers, hands each epoch to all of them and waits until they finish,
 * relaying worker 0's step reports. A failing worker fails the epoch and
 * the pool is closed (the others may be waiting for it at a barrier).
 *
 * @module
 */
import type { BackendName } from "../backend.ts";
import type { DenseLayerPlan } from "../autoencoder.ts";
import type { LossName } from "./_gradient.ts";
import type { EpochTask } from "./_epoch_loop.ts";
import type { FromTrainWorker, SharedTrainingBuffers, ToTrainWorker } from "./_train_worker.ts";
import { TRAIN_WORKER_NAME } from "./_train_worker.ts";

/** What every worker needs to start. */
export interface PoolOptions {
  readonly workers: number;
  readonly backend: BackendName;
  readonly plan: readonly DenseLayerPlan[];
  readonly loss: LossName;
  readonly buffers: SharedTrainingBuffers;
}

/** Training workers sharing one set of arrays. */
export class TrainWorkerPool {
  readonly #workers: Worker[];
  #listener: ((index: number, message: FromTrainWorker) => void) | undefined;
  #failure: Error | undefined;
  #onFailure: ((error: Error) => void) | undefined;

  private constructor(workers: Worker[]) {
    this.#workers = workers;
    workers.forEach((worker, index) => {
      worker.onmessage = (event: MessageEvent<FromTrainWorker>) => {
        const message = event.data;
        if (message.type === "error") {
          this.#fail(new Error(`Training worker ${index} failed: ${message.message}`));
        } else {
          this.#listener?.(index, message);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        this.#fail(new Error(`Training worker ${index} failed: ${event.message}`));
      };
    });
  }

  /**
   * Starts the workers and waits until each has loaded its backend.
   *
   * @param options worker count, backend, model and shared buffers
   * @returns the ready pool
   * @throws {Error} when a worker fails to start
   */
  static async start(options: PoolOptions): Promise<TrainWorkerPool> {
    const url = new URL("./_train_worker.ts", import.meta.url);
    const workers = Array.from(
      { length: options.workers },
      () => new Worker(url, { type: "module", name: TRAIN_WORKER_NAME }),
    );
    const pool = new TrainWorkerPool(workers);
    await pool.#all("ready", (worker, index) =>
      worker.postMessage(
        {
          type: "init",
          index,
          count: options.workers,
          backend: options.backend,
          plan: options.plan,
          loss: options.loss,
          buffers: options.buffers,
        } satisfies ToTrainWorker,
      ));
    return pool;
  }

  /**
   * Runs one epoch on every worker.
   *
   * @param task what the epoch does
   * @param onStep called as steps complete (reported by worker 0)
   * @throws {Error} when a worker fails
   */
  async runEpoch(task: EpochTask, onStep?: (step: number) => void): Promise<void> {
    await this.#all(
      "done",
      (worker) => worker.postMessage({ type: "epoch", task } satisfies ToTrainWorker),
      (message) => {
        if (message.type === "step") onStep?.(message.step);
      },
    );
  }

  /** Stops the workers. */
  close(): void {
    for (const worker of this.#workers) worker.terminate();
  }

  /** Sends each worker a message and waits until all answer `type`. */
  #all(
    type: "ready" | "done",
    send: (worker: Worker, index: number) => void,
    onOther?: (message: FromTrainWorker) => void,
  ): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      let waiting = this.#workers.length;
      this.#onFailure = reject;
      this.#listener = (_index, message) => {
        if (message.type !== type) return onOther?.(message);
        waiting -= 1;
        if (waiting === 0) {
          this.#listener = undefined;
          this.#onFailure = undefined;
          resolve();
        }
      };
      this.#workers.forEach(send);
    });
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.close();
    this.#onFailure?.(error);
  }
}
