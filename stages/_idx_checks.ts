/**
 * What an IDX dataset's files must hold, checked by `load` as it reads them
 * and by the preflight before anything runs (the same functions, so the two
 * cannot disagree): images as unsigned bytes N×H×W, and one integer label
 * per image, each a class number or -1 for an unlabelled image.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import type { IdxArray, IdxHeader } from "../data/idx.ts";

/**
 * The largest label accepted: any class number a uint8 or uint16 label file
 * can hold. Labels index the contingency table's columns, so a stray huge
 * value would make a huge table rather than an error.
 */
export const LARGEST_LABEL = 65_535;

/** The label that marks an image without a label (the pipeline leaves it out of the scores). */
export const UNLABELLED = -1;

/**
 * Checks that an IDX image file holds unsigned bytes of shape N×H×W.
 *
 * @param header what the file declares
 * @param path the file, for the message
 * @param field the setting that named it (`'load.trainImages'`)
 * @throws {ConfigError} naming the file, what it holds and what is expected
 */
export function checkIdxImages<T extends IdxHeader>(
  header: T,
  path: string,
  field: string,
): asserts header is T & { readonly type: "uint8" } {
  if (header.type !== "uint8" || header.shape.length !== 3) {
    throw new ConfigError(
      `${field} file ${path} holds ${header.type} values of shape ` +
        `${header.shape.join("×")}: expected unsigned bytes of shape N×H×W ` +
        "(IDX magic 00 00 08 03), like MNIST's train-images-idx3-ubyte",
    );
  }
}

/**
 * Checks a label file against its images: N integer labels, one per image,
 * each in 0..{@link LARGEST_LABEL} or {@link UNLABELLED}.
 *
 * @param labels the parsed label file
 * @param labelsPath the label file, for the message
 * @param labelsField the setting that named it (`'load.trainLabels'`)
 * @param imageCount how many images the image file holds
 * @param imagesPath the image file, for the message
 * @param imagesField the setting that named it
 * @throws {ConfigError} naming the file and, for a bad value, the first bad label's index and value
 */
export function checkIdxLabels(
  labels: IdxArray,
  labelsPath: string,
  labelsField: string,
  imageCount: number,
  imagesPath: string,
  imagesField: string,
): void {
  const integer = labels.type !== "float32" && labels.type !== "float64";
  if (!integer || labels.shape.length !== 1) {
    throw new ConfigError(
      `${labelsField} file ${labelsPath} holds ${labels.type} values of shape ` +
        `${labels.shape.join("×")}: expected N integer labels (IDX magic 00 00 08 01), ` +
        "like MNIST's train-labels-idx1-ubyte",
    );
  }
  if (labels.shape[0] !== imageCount) {
    throw new ConfigError(
      `${labelsField} file ${labelsPath} has ${labels.shape[0]} labels but ${imagesField} ` +
        `file ${imagesPath} has ${imageCount} images: expected one label per image`,
    );
  }
  for (let index = 0; index < labels.data.length; index++) {
    const label = labels.data[index] as number;
    if ((label < 0 && label !== UNLABELLED) || label > LARGEST_LABEL) {
      throw new ConfigError(
        `${labelsField} file ${labelsPath}: label ${index} (counting from 0) is ${label}: ` +
          `expected an integer in 0..${LARGEST_LABEL}, or ${UNLABELLED} for an unlabelled image`,
      );
    }
  }
}
