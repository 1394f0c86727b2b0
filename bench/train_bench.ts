/**
 * Training throughput of the seed's autoencoder (784→784→64→32→3, decoder
 * 3→32→64→784, sigmoid everywhere, binary cross-entropy, Adam) at batch 256
 * on real MNIST images, for each backend that loads here: the wasm backend
 * with the fast matrix product on one and on two workers, the wasm backend
 * with tfjs's stock kernel, the plain JavaScript backend, and native
 * TensorFlow where tfjs-node loads.
 *
 * Each figure times the second of two epochs, so worker start-up, wasm
 * compilation and the first, slower steps are not counted.
 *
 * @module
 */
import type { BackendName } from "../core/backend.ts";
import { loadBackend } from "../core/backend.ts";
import { useFastMatMul } from "../core/_fast_matmul.ts";
import { SEED_AUTOENCODER } from "../core/autoencoder.ts";
import type { Tensor } from "../core/tensor.ts";
import { tensor } from "../core/tensor.ts";
import type { TrainSettings } from "../core/train_loop.ts";
import { trainAutoencoder } from "../core/train_loop.ts";
import { locateMnist } from "../core/mnist.ts";
import { readIdxFile } from "../core/idx.ts";
import type { Benchmark } from "./benchmark.ts";

const SEED_SETTINGS: TrainSettings = {
  spec: SEED_AUTOENCODER,
  loss: "binaryCrossentropy",
  optimizer: "adam",
  learningRate: 0.001,
  learningRateSchedule: "constant",
  epochs: 2,
  batchSize: 256,
  shuffle: true,
  seed: 0,
  shards: 2,
  checkpointEvery: 0,
};

let mnist: Tensor<"float32"> | undefined;

/** The first `rows` MNIST training images scaled to [0, 1]. */
async function mnistRows(rows: number): Promise<Tensor<"float32">> {
  if (mnist === undefined) {
    const images = await readIdxFile(locateMnist().trainImages, "bench");
    mnist = tensor(
      "float32",
      [60_000, 784],
      Float32Array.from(images.data, (pixel) => pixel / 255),
    );
  }
  return tensor("float32", [rows, 784], mnist.data.subarray(0, rows * 784));
}

/** Samples per second of the second of two epochs over `rows` images. */
async function secondEpochThroughput(
  backend: BackendName,
  workers: number,
  rows: number,
): Promise<number> {
  const images = await mnistRows(rows);
  const ends: number[] = [performance.now()];
  await trainAutoencoder(images, SEED_SETTINGS, {
    backend,
    workers,
    interactive: false,
    log: () => {},
    afterEpoch: () => ends.push(performance.now()),
  });
  return rows / ((ends[2]! - ends[1]!) / 1000);
}

/** A throughput benchmark of one backend and worker count. */
function throughput(
  name: string,
  backend: BackendName,
  workers: number,
  rows: number,
  repeats: number,
  fast = true,
): Benchmark {
  let loads = true;
  return {
    name,
    unit: "samples/s",
    higherIsBetter: true,
    repeats,
    async setup() {
      try {
        const { tf } = await loadBackend(backend);
        useFastMatMul(tf, fast);
      } catch {
        loads = false; // reported as NaN: this backend does not load here
      }
    },
    async measure() {
      return loads ? await secondEpochThroughput(backend, workers, rows) : NaN;
    },
    async teardown() {
      if (loads) useFastMatMul((await loadBackend(backend)).tf, true);
    },
  };
}

/** The training benchmarks, for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  throughput("train seed model, batch 256, wasm, fast matmul, 1 worker", "wasm", 1, 10_240, 3),
  throughput("train seed model, batch 256, wasm, fast matmul, 2 workers", "wasm", 2, 10_240, 3),
  throughput(
    "train seed model, batch 256, wasm, stock matmul, 1 worker",
    "wasm",
    1,
    2_560,
    3,
    false,
  ),
  throughput("train seed model, batch 256, cpu (plain JavaScript)", "cpu", 1, 1_024, 1),
  throughput("train seed model, batch 256, tensorflow (tfjs-node)", "tensorflow", 1, 10_240, 3),
];
