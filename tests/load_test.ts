import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { ConfigError } from "../config/config_error.ts";
import { locateMnist } from "../data/mnist.ts";
import { StageInputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import { resizeImages } from "../data/image_folder.ts";
import type { LoadConfig } from "../stages/load.ts";
import { loadSection, loadStage } from "../stages/load.ts";
import { testContext } from "./_context.ts";
import { temporaryFolder } from "./_temp.ts";

/** The `load` section with its defaults, then `overrides`. */
function loadConfig(overrides: Partial<LoadConfig> = {}): LoadConfig {
  const defaults = Object.fromEntries(
    Object.entries(loadSection).map(([key, field]) => [key, field.default]),
  ) as LoadConfig;
  return { ...defaults, ...overrides };
}

async function load(overrides: Partial<LoadConfig> = {}) {
  const outputs = await loadStage.run(
    new StageInputs({}),
    testContext({ load: loadConfig(overrides) }),
  );
  return {
    trainImages: outputs.trainImages as Tensor<"uint8">,
    trainLabels: outputs.trainLabels as Tensor<"int32">,
    testImages: outputs.testImages as Tensor<"uint8">,
    testLabels: outputs.testLabels as Tensor<"int32">,
    labelNames: outputs.labelNames as string[],
  };
}

function labelCounts(labels: Tensor<"int32">): number[] {
  const counts = new Array(10).fill(0);
  for (const label of labels.data) counts[label]++;
  return counts;
}

function range(values: Uint8Array): [number, number] {
  let min = 255;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Asserts that `promise` rejects with a ConfigError whose message matches `pattern`. */
async function rejectsWithConfigError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  using temporaryDir = temporaryFolder("encluster-load-");
  const dir = temporaryDir.path;
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const MNIST_TRAIN_LABEL_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];

Deno.test("load reads the 60,000 MNIST training images with their published label counts", async () => {
  const { trainImages, trainLabels, testImages, testLabels, labelNames } = await load();
  assert.equal(trainImages.dtype, "uint8");
  assert.deepEqual(trainImages.shape, [60000, 28, 28]);
  assert.equal(trainLabels.dtype, "int32");
  assert.deepEqual(trainLabels.shape, [60000]);
  assert.deepEqual(labelCounts(trainLabels), MNIST_TRAIN_LABEL_COUNTS);
  assert.deepEqual(range(trainImages.data), [0, 255]);
  assert.deepEqual(testImages.shape, [10000, 28, 28]);
  assert.deepEqual(testLabels.shape, [10000]);
  assert.deepEqual(labelNames, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  assert.deepEqual([...trainLabels.data.subarray(0, 5)], [5, 0, 4, 1, 9]); // the file's order
});

Deno.test("load reads gzip-compressed IDX files the same as the plain ones", async () => {
  const plain = await load();
  const files = locateMnist();
  await withTempDir(async (dir) => {
    for (const name of ["trainImages", "trainLabels"] as const) {
      const bytes = await Deno.readFile(files[name]);
      await Deno.writeFile(`${dir}/${name}.gz`, gzipSync(bytes, { level: 1 }));
    }
    const zipped = await load({
      dataset: "idx",
      trainImages: `${dir}/trainImages.gz`,
      trainLabels: `${dir}/trainLabels.gz`,
      testImages: files.testImages, // plain and compressed files mix
      testLabels: files.testLabels,
    });
    assert.deepEqual(zipped.trainImages.shape, [60000, 28, 28]);
    assert.deepEqual(labelCounts(zipped.trainLabels), MNIST_TRAIN_LABEL_COUNTS);
    assert.ok(sameBytes(zipped.trainImages.data, plain.trainImages.data));
    assert.deepEqual(zipped.testLabels.data, plain.testLabels.data);
  });
});

Deno.test("load keeps the first `limit` samples of each split", async () => {
  const full = await load();
  const limited = await load({ limit: 100 });
  assert.deepEqual(limited.trainImages.shape, [100, 28, 28]);
  assert.deepEqual(limited.testImages.shape, [100, 28, 28]);
  assert.deepEqual([...limited.trainLabels.data], [...full.trainLabels.data.subarray(0, 100)]);
  assert.deepEqual([...limited.testImages.data], [...full.testImages.data.subarray(0, 100 * 784)]);
});

Deno.test("load of IDX files without labels gives -1 labels and, without test files, an empty test split", async () => {
  const files = locateMnist();
  const loaded = await load({ dataset: "idx", trainImages: files.testImages, limit: 50 });
  assert.deepEqual(loaded.trainImages.shape, [50, 28, 28]);
  assert.ok(loaded.trainLabels.data.every((label) => label === -1));
  assert.deepEqual(loaded.testImages.shape, [0, 28, 28]);
  assert.deepEqual(loaded.testLabels.shape, [0]);
  assert.deepEqual(loaded.labelNames, []);
});

Deno.test("load resizes IDX images to load.size", async () => {
  const original = await load({ limit: 3 });
  const small = await load({ limit: 3, size: 14 });
  assert.deepEqual(small.trainImages.shape, [3, 14, 14]);
  // Halving keeps the ink where it was: each small pixel is near its 2×2 block's mean.
  let largestError = 0;
  for (let image = 0; image < 3; image++) {
    for (let row = 0; row < 14; row++) {
      for (let column = 0; column < 14; column++) {
        let block = 0;
        for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
          block += original.trainImages.data[image * 784 + (2 * row + dy) * 28 + 2 * column + dx]!;
        }
        const error = Math.abs(
          small.trainImages.data[image * 196 + row * 14 + column]! - block / 4,
        );
        largestError = Math.max(largestError, error);
      }
    }
  }
  assert.ok(largestError < 100, `largest difference from the block mean: ${largestError}`);
  assert.deepEqual(small.trainLabels.data, original.trainLabels.data);
});

Deno.test("resizeImages() keeps uniform images uniform and averages what it shrinks", () => {
  const uniform = tensor("uint8", [2, 5, 7], new Uint8Array(70).fill(77));
  const shrunk = resizeImages(uniform, 3);
  assert.deepEqual(shrunk.shape, [2, 3, 3]);
  assert.ok(shrunk.data.every((value) => value === 77));
  const grown = resizeImages(tensor("uint8", [1, 1, 1], new Uint8Array([200])), 4);
  assert.deepEqual([...grown.data], new Array(16).fill(200));
  const quad = tensor("uint8", [1, 2, 2], new Uint8Array([0, 100, 200, 100]));
  assert.deepEqual([...resizeImages(quad, 1).data], [100]);
  assert.equal(resizeImages(quad, 2), quad);
});

Deno.test("load rejects a missing IDX file, naming the field and the path", async () => {
  await rejectsWithConfigError(
    load({ dataset: "idx", trainImages: "/no/such/train-images-idx3-ubyte.gz" }),
    /^'load.trainImages' names \/no\/such\/train-images-idx3-ubyte.gz, which does not exist; expected the path of an IDX file/,
  );
});

Deno.test("load rejects a file with a wrong IDX magic number", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/images.csv`, "label,pixel0,pixel1\n5,0,0\n");
    await rejectsWithConfigError(
      load({ dataset: "idx", trainImages: `${dir}/images.csv` }),
      /^'load.trainImages' file .*images.csv is not an IDX file: its magic number is 0x6c616265; expected an IDX header 00 00 TT DD/,
    );
  });
});

Deno.test("load rejects a truncated IDX file, saying how long it should be", async () => {
  const files = locateMnist();
  await withTempDir(async (dir) => {
    const bytes = await Deno.readFile(files.testImages);
    await Deno.writeFile(`${dir}/cut-idx3-ubyte`, bytes.subarray(0, 100_000));
    await rejectsWithConfigError(
      load({ dataset: "idx", trainImages: `${dir}/cut-idx3-ubyte` }),
      /^'load.trainImages' file .*cut-idx3-ubyte is truncated: its header declares uint8 values of shape 10000×28×28, which take 7840016 bytes, but the file has 100000$/,
    );
  });
});

Deno.test("load rejects labels whose count differs from the images' count", async () => {
  const files = locateMnist();
  await rejectsWithConfigError(
    load({ dataset: "idx", trainImages: files.testImages, trainLabels: files.trainLabels }),
    /^'load.trainLabels' file .*train-labels-idx1-ubyte has 60000 labels but 'load.trainImages' file .*t10k-images-idx3-ubyte has 10000 images: expected one label per image$/,
  );
});

Deno.test("load rejects an images file given as labels and labels given as images", async () => {
  const files = locateMnist();
  await rejectsWithConfigError(
    load({ dataset: "idx", trainImages: files.testImages, trainLabels: files.testImages }),
    /'load.trainLabels' file .* holds uint8 values of shape 10000×28×28: expected N integer labels/,
  );
  await rejectsWithConfigError(
    load({ dataset: "idx", trainImages: files.testLabels }),
    /'load.trainImages' file .* holds uint8 values of shape 10000: expected unsigned bytes of shape N×H×W/,
  );
});

Deno.test("load rejects an incomplete or contradictory configuration, saying what to set", async () => {
  await rejectsWithConfigError(
    load({ dataset: "idx" }),
    /^'load.trainImages' is null but load.dataset is 'idx': expected the path of an IDX image file/,
  );
  await rejectsWithConfigError(
    load({ dataset: "folder" }),
    /^'load.folder' is null but load.dataset is 'folder'/,
  );
  await rejectsWithConfigError(
    load({ trainImages: "/data/train-images-idx3-ubyte.gz" }),
    /^'load.trainImages' is \/data\/train-images-idx3-ubyte.gz but load.dataset is 'mnist', which does not read it: set load.dataset=idx/,
  );
  await rejectsWithConfigError(
    load({ dataset: "idx", trainImages: "/x", testLabels: "/y" }),
    /^'load.testLabels' is \/y but 'load.testImages' is null/,
  );
});

/** Writes a PNG of one grey level (with `channels` 1, 3 or 4) via sharp. */
async function writePng(path: string, grey: number, width = 8, height = 8, channels = 1) {
  const { default: sharp } = await import("sharp");
  const pixels = new Uint8Array(width * height * channels).fill(grey);
  if (channels === 4) { for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255; }
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await sharp(pixels, { raw: { width, height, channels: channels as 1 | 3 | 4 } }).png()
    .toFile(path);
}

Deno.test("load reads a folder of labelled PNG images, resized and in grayscale", async () => {
  await withTempDir(async (dir) => {
    // Label 0: two images; label 1: one; label 2: one RGBA, 16×10; a stray text file.
    await writePng(`${dir}/train/0/a.png`, 10);
    await writePng(`${dir}/train/0/b.png`, 20);
    await writePng(`${dir}/train/1/a.png`, 110);
    await writePng(`${dir}/train/2/a.png`, 210, 16, 10, 4);
    await Deno.writeTextFile(`${dir}/train/2/README.txt`, "not an image");
    await writePng(`${dir}/test/1/z.png`, 120, 8, 8, 3);
    const loaded = await load({
      dataset: "folder",
      folder: `${dir}/train`,
      testFolder: `${dir}/test`,
      size: 4,
    });
    assert.deepEqual(loaded.trainImages.shape, [4, 4, 4]);
    // Round-robin across labels: 0/a, 1/a, 2/a, then 0/b.
    assert.deepEqual([...loaded.trainLabels.data], [0, 1, 2, 0]);
    const firstPixels = [0, 1, 2, 3].map((image) => loaded.trainImages.data[image * 16]);
    assert.deepEqual(firstPixels, [10, 110, 210, 20]);
    assert.deepEqual(range(loaded.trainImages.data.subarray(16, 32)), [110, 110]);
    assert.deepEqual(loaded.testImages.shape, [1, 4, 4]);
    assert.deepEqual([...loaded.testLabels.data], [1]);
    assert.equal(loaded.testImages.data[0], 120);
    assert.deepEqual(loaded.labelNames, ["0", "1", "2"]);
  });
});

Deno.test("load numbers named label folders in sorted order, and a limit keeps every label", async () => {
  await withTempDir(async (dir) => {
    for (const [label, grey] of [["dog", 200], ["cat", 100]] as const) {
      for (const file of ["1.png", "2.png", "3.png"]) {
        await writePng(`${dir}/${label}/${file}`, grey);
      }
    }
    const loaded = await load({ dataset: "folder", folder: dir, size: 2, limit: 2 });
    assert.deepEqual(loaded.labelNames, ["cat", "dog"]);
    assert.deepEqual([...loaded.trainLabels.data], [0, 1]);
    assert.deepEqual([...loaded.trainImages.data], [100, 100, 100, 100, 200, 200, 200, 200]);
    assert.deepEqual(loaded.testImages.shape, [0, 2, 2]);
  });
});

Deno.test("load rejects an image file it cannot decode, naming the file", async () => {
  await withTempDir(async (dir) => {
    await writePng(`${dir}/0/good.png`, 5);
    await Deno.mkdir(`${dir}/1`);
    await Deno.writeTextFile(`${dir}/1/broken.png`, "this is not a PNG");
    await rejectsWithConfigError(
      load({ dataset: "folder", folder: dir }),
      /^'load.folder': the image .*\/1\/broken.png cannot be decoded \(.+\); expected a readable PNG, JPEG, GIF, WebP or TIFF file$/,
    );
  });
});

Deno.test("load itself rejects a label folder without images, as the preflight does", async () => {
  await withTempDir(async (dir) => {
    await writePng(`${dir}/digits/0/a.png`, 5);
    await Deno.mkdir(`${dir}/digits/1`, { recursive: true });
    await Deno.writeTextFile(`${dir}/digits/1/notes.txt`, "not an image");
    await rejectsWithConfigError(
      load({ dataset: "folder", folder: `${dir}/digits` }),
      /^'load.folder' names .*\/digits, whose label folder .*\/digits\/1 holds no images/,
    );
  });
});

Deno.test("load rejects an empty or missing image folder, describing the expected layout", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/empty/0`, { recursive: true });
    await Deno.writeTextFile(`${dir}/empty/loose.png`, "files outside label folders are ignored");
    await rejectsWithConfigError(
      load({ dataset: "folder", folder: `${dir}/empty` }),
      /^'load.folder' names .*\/empty, which holds no images; expected one sub-folder per label holding image files \(.png, .jpg, .jpeg, .gif, .webp, .tif, .tiff\), such as .*\/empty\/0\/first.png$/,
    );
    await rejectsWithConfigError(
      load({ dataset: "folder", folder: `${dir}/empty`, testFolder: `${dir}/missing` }),
      /^'load.folder' names .*\/empty, which holds no images/,
    );
    await writePng(`${dir}/ok/0/a.png`, 5);
    await rejectsWithConfigError(
      load({ dataset: "folder", folder: `${dir}/ok`, testFolder: `${dir}/missing` }),
      /^'load.testFolder' names .*\/missing, which does not exist; expected one sub-folder per label/,
    );
  });
});
