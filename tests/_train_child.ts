/**
 * A training run in its own process, for the test that kills it: trains
 * {@link KILL_TEST_SETTINGS} with checkpoints in the scratch directory given
 * as the first argument on two workers, prints `epoch N` after each epoch,
 * and after epoch `hangAfterEpoch` (second argument) stops still so the test
 * can SIGKILL it.
 *
 *     deno run -A tests/_train_child.ts SCRATCH_DIR HANG_AFTER_EPOCH
 *
 * @module
 */
import type { TrainSettings } from "../nn/train/train_autoencoder.ts";
import { trainAutoencoder } from "../nn/train/train_autoencoder.ts";
import { mnistSample } from "./_mnist_sample.ts";

/** A small model that trains in well under a second per epoch on {@link KILL_TEST_ROWS} images. */
export const KILL_TEST_SETTINGS: TrainSettings = {
  spec: {
    inputDim: 784,
    encoderLayers: [64, 16],
    encodedDim: 3,
    hiddenActivation: "sigmoid",
    codeActivation: "sigmoid",
    outputActivation: "sigmoid",
  },
  loss: "binaryCrossentropy",
  optimizer: "adam",
  learningRate: 0.005,
  learningRateSchedule: "cosine",
  epochs: 5,
  batchSize: 100,
  shuffle: true,
  seed: 7,
  shards: 2,
  checkpointEvery: 2,
};

/** Training images of the kill test. */
export const KILL_TEST_ROWS = 1000;

if (import.meta.main) {
  const [scratchDir, hangAfter] = Deno.args;
  const images = await mnistSample(KILL_TEST_ROWS);
  await trainAutoencoder(images, KILL_TEST_SETTINGS, {
    backend: "wasm",
    workers: 2, // the resumed run uses one: the weights must not depend on it
    scratchDir,
    interactive: false,
    log: () => {},
    afterEpoch(epoch) {
      console.log(`epoch ${epoch}`);
      if (epoch === Number(hangAfter)) {
        // Wait (up to a minute) for the test's SIGKILL, mid-run.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
      }
    },
  });
}
