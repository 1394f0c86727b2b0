/**
 * Training that goes wrong: runs that diverge (a NaN or an infinity in the
 * loss or the weights) fail where they diverged and keep nothing, and
 * damaged checkpoints are set aside, never resumed from, while the run still
 * ends on the bits of an uninterrupted one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TrainEnvironment, TrainSettings } from "../nn/train/train_autoencoder.ts";
import { trainAutoencoder } from "../nn/train/train_autoencoder.ts";
import { writeCheckpoint } from "../nn/train/_checkpoint.ts";
import { StageInputs } from "../engine/stage.ts";
import type { TrainConfig } from "../stages/train.ts";
import { trainSection, trainStage } from "../stages/train.ts";
import { testContext } from "./_context.ts";
import { mnistSample } from "./_mnist_sample.ts";
import { runTinyPipeline, spawnPipeline, TINY_CONFIG } from "./_commands.ts";
import { KILL_TEST_SETTINGS } from "./_train_child.ts";
import { temporaryFolder } from "./_temp.ts";

const images = await mnistSample(200);
const quiet: TrainEnvironment = { backend: "wasm", interactive: false, log: () => {} };

/** Linear layers and plain SGD on squared error: nothing bounds the weights. */
const LINEAR_SGD: TrainSettings = {
  spec: {
    inputDim: 784,
    encoderLayers: [16],
    encodedDim: 3,
    hiddenActivation: "linear",
    codeActivation: "linear",
    outputActivation: "linear",
  },
  loss: "meanSquaredError",
  optimizer: "sgd",
  learningRate: 10,
  learningRateSchedule: "constant",
  epochs: 2,
  batchSize: 50,
  shuffle: true,
  seed: 1,
  shards: 1,
  checkpointEvery: 1,
};

async function withScratch<T>(run: (dir: string) => Promise<T>): Promise<T> {
  using temporaryDir = temporaryFolder("encluster-train-faults-");
  const dir = temporaryDir.path;
  try {
    return await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function filesIn(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test("trainStage fails in the step where Adam with a huge step makes the loss NaN, naming a train.learningRate to try, and keeps no checkpoint", async () => {
  const defaults = Object.fromEntries(
    Object.entries(trainSection).map(([key, field]) => [key, structuredClone(field.default)]),
  ) as unknown as TrainConfig;
  const config: TrainConfig = {
    ...defaults,
    encoderLayers: [16],
    epochs: 2,
    batchSize: 50,
    learningRate: 3e38,
  };
  await withScratch(async (scratchDir) => {
    const context = testContext({ train: config, backend: "wasm" as const }, scratchDir);
    await assert.rejects(
      () =>
        trainStage.run(new StageInputs({ normalise: { train: images, test: images } }), context),
      (error: Error) => {
        assert.match(
          error.message,
          /^training diverged in epoch 1\/2, step 2\/4: the loss became (NaN|-?Infinity); nothing of it is kept\. /,
        );
        assert.match(error.message, /it is 3e\+38, try train\.learningRate 3e\+37/);
        return true;
      },
    );
    assert.deepEqual(filesIn(scratchDir), [], "no checkpoint of the diverged epoch");
  });
});

Deno.test("trainAutoencoder() fails when SGD on linear layers diverges only in epoch 2, keeping epoch 1's checkpoint", async () => {
  await withScratch(async (scratchDir) => {
    await assert.rejects(
      () => trainAutoencoder(images, LINEAR_SGD, { ...quiet, scratchDir }),
      /: training diverged in epoch 2\/2, step \d\/4: the loss became (NaN|-?Infinity)$/,
    );
    assert.deepEqual(filesIn(scratchDir), ["train.checkpoint"]);
    // Resuming from epoch 1's (good) checkpoint diverges again, in the same step.
    const logs: string[] = [];
    await assert.rejects(
      () =>
        trainAutoencoder(images, LINEAR_SGD, {
          ...quiet,
          scratchDir,
          log: (line) => logs.push(line),
        }),
      /: training diverged in epoch 2\/2, step \d\/4/,
    );
    assert.ok(logs.some((line) => line.startsWith("resuming after epoch 1/2")), logs.join("\n"));
  });
});

Deno.test("trainAutoencoder() fails when one step's update overflows the weights though every loss was finite", async () => {
  // One step per epoch: its loss is computed from the initial weights (finite),
  // then Adam moves every weight by about the learning rate, past float32's range.
  const settings: TrainSettings = {
    ...KILL_TEST_SETTINGS,
    learningRate: 1e39,
    learningRateSchedule: "constant",
    epochs: 1,
    batchSize: images.shape[0]!,
    shards: 1,
    checkpointEvery: 1,
  };
  await withScratch(async (scratchDir) => {
    await assert.rejects(
      () => trainAutoencoder(images, settings, { ...quiet, scratchDir }),
      /: training diverged in epoch 1\/1, at its end: the weights became -?Infinity$/,
    );
    assert.deepEqual(filesIn(scratchDir), []);
  });
});

Deno.test("trainAutoencoder() sets aside a checkpoint of a diverged state and trains afresh", async () => {
  const settings: TrainSettings = { ...KILL_TEST_SETTINGS, epochs: 2, checkpointEvery: 1 };
  const rows = images.shape[0]!;
  const uninterrupted = await trainAutoencoder(images, { ...settings, checkpointEvery: 0 }, quiet);
  await withScratch(async (scratchDir) => {
    const weights = uninterrupted.weights.map(() => NaN);
    await writeCheckpoint(scratchDir, {
      // What trainAutoencoder() identifies its settings and data by.
      fingerprint: JSON.stringify({ settings, rows, backend: "wasm" }),
      epoch: 1,
      iterations: Math.ceil(rows / settings.batchSize),
      history: [NaN],
      weights,
      slots: [weights, weights],
    });
    const logs: string[] = [];
    const result = await trainAutoencoder(images, settings, {
      ...quiet,
      scratchDir,
      log: (line) => logs.push(line),
    });
    assert.equal(result.resumedAfterEpoch, 0);
    assert.ok(
      logs.some((line) =>
        /^warning: set aside the checkpoint .*train\.checkpoint as .*train\.checkpoint\.damaged: .*NaN or infinite/
          .test(line)
      ),
      logs.join("\n"),
    );
    assert.deepEqual(result.weights, uninterrupted.weights);
    assert.deepEqual(result.history, uninterrupted.history);
  });
});

/** Settings whose run is interrupted after epoch 2 of 3, with a checkpoint after each epoch. */
const RESUME_SETTINGS: TrainSettings = { ...KILL_TEST_SETTINGS, epochs: 3, checkpointEvery: 1 };

let reference: Awaited<ReturnType<typeof trainAutoencoder>> | undefined;
async function uninterruptedRun() {
  reference ??= await trainAutoencoder(images, { ...RESUME_SETTINGS, checkpointEvery: 0 }, quiet);
  return reference;
}

/** Trains RESUME_SETTINGS and stops it (with an exception) once epoch 2's checkpoint is written. */
async function interruptedRun(scratchDir: string): Promise<void> {
  await assert.rejects(() =>
    trainAutoencoder(images, RESUME_SETTINGS, {
      ...quiet,
      scratchDir,
      afterEpoch(epoch) {
        if (epoch === 2) throw new Error("interrupted");
      },
    }), /interrupted/);
}

type Damage = (bytes: Uint8Array) => Uint8Array;
const flipByteAt = (at: (bytes: Uint8Array) => number): Damage => (bytes) => {
  const copy = bytes.slice();
  copy[at(copy)] = copy[at(copy)]! ^ 0x10;
  return copy;
};
/** The offset of the first byte of the JSON header's text `"epoch"`. */
const headerOffset = (bytes: Uint8Array) =>
  new TextDecoder("latin1").decode(bytes).indexOf('"epoch"') + 2;

const damages: Record<string, Damage> = {
  "a flipped byte in the header": flipByteAt(headerOffset),
  "a flipped byte in the data": flipByteAt((bytes) => bytes.length >> 1),
  "a truncated file": (bytes) => bytes.subarray(0, bytes.length >> 1),
  "an empty file": () => new Uint8Array(0),
  "wrong magic bytes": (bytes) => Uint8Array.from([0x58, ...bytes.subarray(1)]),
};

Deno.test("trainAutoencoder() sets aside a damaged latest checkpoint and resumes from the previous one, to the same bits", async (t) => {
  const expected = await uninterruptedRun();
  for (const [name, damage] of Object.entries(damages)) {
    await t.step(name, () =>
      withScratch(async (scratchDir) => {
        await interruptedRun(scratchDir);
        const latest = join(scratchDir, "train.checkpoint");
        Deno.writeFileSync(latest, damage(Deno.readFileSync(latest)));
        const logs: string[] = [];
        const resumed = await trainAutoencoder(images, RESUME_SETTINGS, {
          ...quiet,
          scratchDir,
          log: (line) => logs.push(line),
        });
        const warnings = logs.filter((line) => line.startsWith("warning:"));
        assert.equal(warnings.length, 1, logs.join("\n"));
        assert.match(
          warnings[0]!,
          /^warning: set aside the checkpoint .*\/train\.checkpoint as .*\/train\.checkpoint\.damaged: \S/,
        );
        assert.ok(filesIn(scratchDir).includes("train.checkpoint.damaged"));
        assert.equal(resumed.resumedAfterEpoch, 1);
        assert.deepEqual(resumed.weights, expected.weights);
        assert.deepEqual(resumed.history, expected.history);
      }));
  }
});

Deno.test("trainAutoencoder() trains afresh, to the same bits, when both checkpoints are damaged, and the next run is not stuck", async () => {
  const expected = await uninterruptedRun();
  await withScratch(async (scratchDir) => {
    await interruptedRun(scratchDir);
    const latest = join(scratchDir, "train.checkpoint");
    Deno.writeFileSync(latest, damages["a flipped byte in the data"]!(Deno.readFileSync(latest)));
    const previous = `${latest}.previous`;
    const older = Deno.statSync(previous).isFile ? Deno.readFileSync(previous) : new Uint8Array();
    Deno.writeFileSync(previous, damages["a truncated file"]!(older));
    const logs: string[] = [];
    const afresh = await trainAutoencoder(images, RESUME_SETTINGS, {
      ...quiet,
      scratchDir,
      log: (line) => logs.push(line),
    });
    assert.equal(afresh.resumedAfterEpoch, 0);
    assert.equal(logs.filter((line) => line.startsWith("warning: set aside")).length, 2);
    assert.deepEqual(afresh.weights, expected.weights);
    assert.deepEqual(afresh.history, expected.history);
    // What was set aside is not met again: the next run resumes from the last good checkpoint.
    const again = await trainAutoencoder(images, RESUME_SETTINGS, { ...quiet, scratchDir });
    assert.equal(again.resumedAfterEpoch, 3);
    assert.deepEqual(again.weights, expected.weights);
  });
});

Deno.test("a diverging pipeline exits 1 with the reason once, records the run as failed and stores no train stage", async () => {
  using temporaryArtifacts = temporaryFolder("encluster-diverge-");
  const artifacts = temporaryArtifacts.path;
  try {
    const result = await runTinyPipeline(artifacts, "--set", "train.learningRate=3e38");
    assert.equal(result.code, 1, result.stderr);
    const reason = /training diverged in epoch 1\/2, step \d+\/\d+: the loss became NaN/g;
    assert.equal(result.stderr.match(reason)?.length, 1, result.stderr);
    assert.match(result.stderr, /try train\.learningRate 3e\+37/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    const runs = filesIn(join(artifacts, "runs")).filter((name) => name.endsWith(".json"));
    assert.equal(runs.length, 1);
    const record = JSON.parse(Deno.readTextFileSync(join(artifacts, "runs", runs[0]!)));
    assert.equal(record.status, "failed");
    assert.match(record.error, /^train: training diverged in epoch 1\/2/);
    const trainRecords = join(artifacts, "stages", "train");
    const stored = (() => {
      try {
        return filesIn(trainRecords).filter((name) => name.endsWith(".json"));
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return [];
        throw error;
      }
    })();
    assert.deepEqual(stored, [], "no train stage record");
  } finally {
    await Deno.remove(artifacts, { recursive: true });
  }
});

/** The latest checkpoint in a store's scratch folder for `train`, once there is one. */
function trainCheckpointIn(artifacts: string): string | undefined {
  const folder = join(artifacts, "scratch", "train");
  try {
    for (const key of Deno.readDirSync(folder)) {
      const path = join(folder, key.name, "train.checkpoint");
      if (Deno.statSync(path).isFile) return path;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return undefined;
}

Deno.test("a pipeline killed in training resumes past a damaged checkpoint to the metrics of an uninterrupted run", async () => {
  const longer = ["--set", "train.epochs=3"];
  using temporaryArtifacts = temporaryFolder("encluster-damaged-checkpoint-");
  const artifacts = temporaryArtifacts.path;
  using temporaryFresh = temporaryFolder("encluster-uninterrupted-");
  const fresh = temporaryFresh.path;
  try {
    const uninterrupted = await runTinyPipeline(fresh, ...longer);
    assert.equal(uninterrupted.code, 0, uninterrupted.stderr);

    const child = spawnPipeline(["--config", TINY_CONFIG, "--artifacts", artifacts, ...longer]);
    let checkpoint: string | undefined;
    for (let waited = 0; checkpoint === undefined && waited < 60_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      checkpoint = trainCheckpointIn(artifacts);
    }
    child.kill("SIGKILL");
    await child.status;
    await Promise.all([child.stdout.cancel(), child.stderr.cancel()]);
    assert.ok(checkpoint !== undefined, "training wrote no checkpoint");
    const bytes = Deno.readFileSync(checkpoint);
    // An exponent bit of a float32 early in the data, among the weights (the
    // file ends on whole floats; the weights are the first of three arrays).
    const weightByte = Math.floor(bytes.length / 24) * 4 + 3;
    bytes[weightByte] = bytes[weightByte]! ^ 0x40;
    Deno.writeFileSync(checkpoint, bytes);

    const resumed = await runTinyPipeline(artifacts, ...longer);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(
      resumed.stderr,
      /train: warning: set aside the checkpoint .*train\.checkpoint as .*train\.checkpoint\.damaged: /,
    );
    assert.deepEqual(JSON.parse(resumed.stdout).metrics, JSON.parse(uninterrupted.stdout).metrics);
  } finally {
    await Deno.remove(artifacts, { recursive: true });
    await Deno.remove(fresh, { recursive: true });
  }
});
