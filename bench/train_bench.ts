/**
 * Training throughput of the seed's autoencoder (784→784→64→32→3, decoder
 * 3→32→64→784, sigmoid everywhere, binary cross-entropy, Adam) at batch 256
 * on real MNIST images, for each backend that loads here: the wasm backend
 * with the fast matrix product on one and on two workers, the wasm backend
 * with tfjs's stock kernel, the plain JavaScript backend, and native
 * TensorFlow where tfjs-node loads. Also at configs/seed.json's batch of 32
 * on one and two workers, which decides that file's `train.shards`.
 *
 * Each figure times the second of two epochs, so worker start-up, wasm
 * compilation and the first, slower steps are not counted.
 *
 * @module
 */
import type { BackendName } from "../nn/backend.ts";
import { loadBackend } from "../nn/backend.ts";
import { useFastMatMul } from "../nn/_fast_matmul.ts";
import { SEED_AUTOENCODER } from "../nn/autoencoder.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import type { TrainSettings } from "../nn/train/train_autoencoder.ts";
import { trainAutoencoder } from "../nn/train/train_autoencoder.ts";
import { locateMnist } from "../data/mnist.ts";
import { readIdxFile } from "../data/idx.ts";
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

/** What one throughput figure trains with. */
interface ThroughputCase {
  readonly backend: BackendName;
  readonly workers: number;
  /** Images per epoch. */
  readonly rows: number;
  readonly repeats: number;
  /** Images per update; 256 unless given. */
  readonly batchSize?: number;
  /** False for tfjs's stock matrix product on wasm. */
  readonly fast?: boolean;
}

/** Samples per second of the second of two epochs over `rows` images. */
async function secondEpochThroughput(
  { backend, workers, rows, batchSize = SEED_SETTINGS.batchSize }: ThroughputCase,
): Promise<number> {
  const images = await mnistRows(rows);
  const ends: number[] = [performance.now()];
  await trainAutoencoder(images, { ...SEED_SETTINGS, batchSize, shards: workers }, {
    backend,
    workers,
    interactive: false,
    log: () => {},
    afterEpoch: () => ends.push(performance.now()),
  });
  return rows / ((ends[2]! - ends[1]!) / 1000);
}

/** A throughput benchmark of one backend, worker count and batch size. */
function throughput(name: string, trained: ThroughputCase): Benchmark {
  const { backend, fast = true } = trained;
  let loads = true;
  return {
    name,
    unit: "samples/s",
    higherIsBetter: true,
    repeats: trained.repeats,
    async setup() {
      try {
        const { tf } = await loadBackend(backend);
        useFastMatMul(tf, fast);
      } catch {
        loads = false; // reported as NaN: this backend does not load here
      }
    },
    async measure() {
      return loads ? await secondEpochThroughput(trained) : NaN;
    },
    async teardown() {
      if (loads) useFastMatMul((await loadBackend(backend)).tf, true);
    },
  };
}

/** The training benchmarks, for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  throughput("train seed model, batch 256, wasm, fast matmul, 1 worker", {
    backend: "wasm",
    workers: 1,
    rows: 10_240,
    repeats: 3,
  }),
  throughput("train seed model, batch 256, wasm, fast matmul, 2 workers", {
    backend: "wasm",
    workers: 2,
    rows: 10_240,
    repeats: 3,
  }),
  throughput("train seed model, batch 256, wasm, stock matmul, 1 worker", {
    backend: "wasm",
    workers: 1,
    rows: 2_560,
    repeats: 3,
    fast: false,
  }),
  throughput("train seed model, batch 256, cpu (plain JavaScript)", {
    backend: "cpu",
    workers: 1,
    rows: 1_024,
    repeats: 1,
  }),
  throughput("train seed model, batch 256, tensorflow (tfjs-node)", {
    backend: "tensorflow",
    workers: 1,
    rows: 10_240,
    repeats: 3,
  }),
  throughput("train seed model, batch 32 (seed.json), wasm, 1 worker", {
    backend: "wasm",
    workers: 1,
    rows: 6_400,
    repeats: 3,
    batchSize: 32,
  }),
  throughput("train seed model, batch 32 (seed.json), wasm, 2 workers", {
    backend: "wasm",
    workers: 2,
    rows: 6_400,
    repeats: 3,
    batchSize: 32,
  }),
];
