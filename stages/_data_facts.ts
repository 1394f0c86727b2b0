/**
 * The shape of the data a configuration loads, learnt from what is cheap to
 * read (IDX headers and label files, folder listings) without decoding any
 * image: what the preflight needs to check the settings that depend on the
 * data before the first stage runs, so that a wrong `cluster.k` fails in a
 * second instead of after training. Reading the facts also checks the files
 * as `load` would (headers against lengths, one valid label per image).
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import { readIdxFile, readIdxHeader } from "../data/idx.ts";
import { listImageFolder } from "../data/image_folder.ts";
import { locateMnist, MNIST_PACKAGE } from "../data/mnist.ts";
import { checkIdxImages, checkIdxLabels } from "./_idx_checks.ts";
import type { LoadConfig } from "./load.ts";
import { checkLoadSettings } from "./load.ts";

/** One split as `load` will output it. */
export interface SplitFacts {
  /** Images `load` outputs: those available, or `load.limit` of them. */
  readonly images: number;
  /** Images the files hold, before `load.limit`. */
  readonly available: number;
}

/** What the data looks like to the stages after `load`. */
export interface DataFacts {
  readonly train: SplitFacts;
  readonly test: SplitFacts;
  /** Pixels of each image as `load` outputs it (load.size squared). */
  readonly pixels: number;
  /** Where the training images come from, for messages: a path or the package. */
  readonly source: string;
}

/**
 * Reads the facts of the data that `load` describes.
 *
 * @param config the `load` section
 * @throws {ConfigError} for any problem `load` would report: a missing or
 *   malformed file, a label file that does not match its images, a bad
 *   label, a folder without images or with an empty label folder
 */
export async function readDataFacts(config: LoadConfig): Promise<DataFacts> {
  checkLoadSettings(config);
  const pixels = config.size * config.size;
  const limited = (available: number): SplitFacts => ({
    available,
    images: Math.min(available, config.limit ?? available),
  });
  switch (config.dataset) {
    case "mnist": {
      const files = locateMnist();
      const train = await idxSplitSize(files.trainImages, files.trainLabels, "train");
      const test = await idxSplitSize(files.testImages, files.testLabels, "test");
      return { train: limited(train), test: limited(test), pixels, source: MNIST_PACKAGE };
    }
    case "idx": {
      const trainImages = config.trainImages as string;
      const train = await idxSplitSize(trainImages, config.trainLabels, "train");
      const test = config.testImages === null
        ? 0
        : await idxSplitSize(config.testImages, config.testLabels, "test");
      return { train: limited(train), test: limited(test), pixels, source: trainImages };
    }
    case "folder": {
      const folder = config.folder as string;
      const train = await folderSize(folder, "'load.folder'");
      const test = config.testFolder === null
        ? 0
        : await folderSize(config.testFolder, "'load.testFolder'");
      return { train: limited(train), test: limited(test), pixels, source: folder };
    }
    default: {
      const unreachable: never = config.dataset;
      throw new ConfigError(`Unknown load.dataset '${unreachable}'`);
    }
  }
}

/** The number of images of one IDX split, its label file checked against it. */
async function idxSplitSize(
  imagesPath: string,
  labelsPath: string | null,
  split: "train" | "test",
): Promise<number> {
  const imagesField = `'load.${split}Images'`;
  const header = await readIdxHeader(imagesPath, imagesField);
  checkIdxImages(header, imagesPath, imagesField);
  const count = header.shape[0] ?? 0;
  if (labelsPath !== null) {
    const labelsField = `'load.${split}Labels'`;
    const labels = await readIdxFile(labelsPath, labelsField);
    checkIdxLabels(labels, labelsPath, labelsField, count, imagesPath, imagesField);
  }
  return count;
}

/** The number of images of a folder dataset. */
async function folderSize(folder: string, field: string): Promise<number> {
  const listing = await listImageFolder(folder, field);
  return listing.classes.reduce((sum, imageClass) => sum + imageClass.files.length, 0);
}
