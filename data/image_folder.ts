/**
 * Image datasets laid out as one sub-folder per label, the layout Keras'
 * `image_dataset_from_directory` and torchvision's `ImageFolder` read:
 *
 *     digits/0/a.png  digits/0/b.png  digits/1/c.png ...
 *
 * Images are decoded with sharp, flattened onto black (transparent pixels
 * become black, as in MNIST's white-on-black digits), converted to 8-bit
 * grayscale and resized to size×size (stretched, not cropped, like Keras).
 * sharp is imported on demand, so modules importing this one stay light.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import { errorMessage } from "../engine/error_message.ts";

/** File extensions taken as images (case-insensitive); other files are ignored. */
const IMAGE_EXTENSIONS: readonly string[] = [
  ".png",
  ".jpg",
  ".jpeg",
  ".gif",
  ".webp",
  ".tif",
  ".tiff",
];

/** Images decoded at once: sharp works off the main thread, so file reads and decodes overlap. */
const DECODES_IN_FLIGHT = 8;

/** One label's sub-folder and its image files. */
export interface ImageClass {
  /** The sub-folder's name, which is the label's name. */
  readonly name: string;
  /** Paths of its images, sorted by file name. */
  readonly files: readonly string[];
}

/** What {@link listImageFolder} found. */
export interface ImageFolderListing {
  /** The dataset's folder, as given. */
  readonly folder: string;
  /** The label sub-folders and their images, sorted by name. */
  readonly classes: readonly ImageClass[];
}

/** Images with their labels, as the `load` stage outputs them. */
export interface LabelledImages {
  /** uint8, N×size×size. */
  readonly images: Tensor<"uint8">;
  /** int32, N. */
  readonly labels: Tensor<"int32">;
}

/**
 * Lists a folder's labelled images: each sub-folder is a label, each image
 * file in it a sample. Hidden entries and files without an image extension
 * are skipped, as are files directly in `folder`.
 *
 * @param folder the dataset's folder
 * @param field the configuration key that named it (`'load.folder'`), for messages
 * @returns the labels' sub-folders and their images, sorted by name
 * @throws {ConfigError} when the folder does not exist, holds no image, or has a
 *   label folder without images
 */
export async function listImageFolder(
  folder: string,
  field: string,
): Promise<ImageFolderListing> {
  const expected = `expected one sub-folder per label holding image files ` +
    `(${IMAGE_EXTENSIONS.join(", ")}), such as ${folder}/0/first.png`;
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(folder));
  } catch (error) {
    const problem = error instanceof Deno.errors.NotFound
      ? "does not exist"
      : error instanceof Deno.errors.NotADirectory
      ? "is a file, not a folder"
      : `cannot be read (${errorMessage(error)})`;
    throw new ConfigError(`${field} names ${folder}, which ${problem}; ${expected}`);
  }
  const classes: ImageClass[] = [];
  const emptyFolders: string[] = [];
  for (const name of entries.map((entry) => entry.name).filter(isVisible).sort(byCodePoint)) {
    const path = `${folder}/${name}`;
    if (!(await isFolder(path))) continue;
    const files: string[] = [];
    for await (const entry of Deno.readDir(path)) {
      if (isVisible(entry.name) && isImageName(entry.name)) files.push(entry.name);
    }
    if (files.length === 0) {
      emptyFolders.push(path);
      continue;
    }
    classes.push({ name, files: files.sort(byCodePoint).map((file) => `${path}/${file}`) });
  }
  if (classes.length === 0) {
    throw new ConfigError(`${field} names ${folder}, which holds no images; ${expected}`);
  }
  // A label with no images is a mistake (a wrong extension, a failed copy), not a class to drop.
  if (emptyFolders.length > 0) {
    throw new ConfigError(
      `${field} names ${folder}, whose label folder ${emptyFolders[0]} holds no images: ` +
        `expected image files (${IMAGE_EXTENSIONS.join(", ")}) in every label folder; add ` +
        "some or remove the folder",
    );
  }
  return { folder, classes };
}

/**
 * Numbers label names. When every name is a non-negative integer ("0".."9"),
 * the number is the label, so digit folders keep their digits; otherwise the
 * labels are the positions of the names in code-point order, as Keras and
 * torchvision number them.
 *
 * @param names label names (sub-folder names), in any order, duplicates allowed
 * @returns `labelNames`, where `labelNames[label]` is the name (gaps are "")
 * @example
 * ```ts
 * import { labelNumbering } from "./image_folder.ts";
 *
 * if (labelNumbering(["dog", "cat"]).join() !== "cat,dog") throw new Error();
 * if (labelNumbering(["3", "1"]).join() !== ",1,,3") throw new Error("digits keep their number");
 * ```
 */
export function labelNumbering(names: readonly string[]): string[] {
  const unique = [...new Set(names)].sort(byCodePoint);
  const numeric = unique.every((name) => /^(0|[1-9][0-9]{0,5})$/.test(name));
  if (!numeric) return unique;
  const labelNames: string[] = [];
  for (const name of unique) labelNames[Number(name)] = name;
  return Array.from(labelNames, (name) => name ?? "");
}

/**
 * Decodes a listed folder's images. Samples are taken round-robin across
 * labels (the first image of each label, then the second of each, ...), so
 * that the first `limit` samples cover every label.
 *
 * @param listing what {@link listImageFolder} found
 * @param labelNames label numbering from {@link labelNumbering}; must contain every class name
 * @param size images are resized to size×size pixels
 * @param limit decode only the first `limit` samples; null for all
 * @param field the configuration key that named the folder, for messages
 * @returns the images (uint8, N×size×size) and their labels (int32, N)
 * @throws {ConfigError} when an image cannot be decoded, naming the file
 */
export async function readImageFolder(
  listing: ImageFolderListing,
  labelNames: readonly string[],
  size: number,
  limit: number | null,
  field: string,
): Promise<LabelledImages> {
  const samples: { path: string; label: number }[] = [];
  const longest = Math.max(...listing.classes.map((imageClass) => imageClass.files.length));
  for (let rank = 0; rank < longest; rank++) {
    for (const imageClass of listing.classes) {
      const path = imageClass.files[rank];
      if (path === undefined) continue;
      const label = labelNames.indexOf(imageClass.name);
      if (label < 0) throw new Error(`Label '${imageClass.name}' is missing from the numbering`);
      samples.push({ path, label });
    }
  }
  const chosen = limit === null ? samples : samples.slice(0, limit);
  const images = await decodeImages(chosen.map((sample) => sample.path), size, field);
  const labels = Int32Array.from(chosen, (sample) => sample.label);
  return { images, labels: tensor("int32", [labels.length], labels) };
}

/**
 * Decodes image files into grayscale size×size pixels.
 *
 * @param paths image files
 * @param size output width and height
 * @param field the configuration key the files came from, for messages
 * @returns uint8 tensor paths.length×size×size
 * @throws {ConfigError} naming a file that sharp cannot decode
 */
async function decodeImages(
  paths: readonly string[],
  size: number,
  field: string,
): Promise<Tensor<"uint8">> {
  const { default: sharp } = await import("sharp");
  const pixels = new Uint8Array(paths.length * size * size);
  await forEachConcurrently(paths.length, async (index) => {
    const path = paths[index] as string;
    let data: Uint8Array;
    try {
      data = await sharp(path).flatten({ background: "#000000" }).grayscale()
        .resize(size, size, { fit: "fill" }).toColourspace("b-w").raw().toBuffer();
    } catch (error) {
      throw new ConfigError(
        `${field}: the image ${path} cannot be decoded (${
          errorMessage(error)
        }); expected a readable PNG, JPEG, GIF, WebP or TIFF file`,
      );
    }
    if (data.length !== size * size) {
      throw new Error(`sharp decoded ${path} to ${data.length} bytes, expected ${size * size}`);
    }
    pixels.set(data, index * size * size);
  });
  return tensor("uint8", [paths.length, size, size], pixels);
}

/**
 * Resizes a stack of grayscale images, for IDX datasets whose images are not
 * size×size. Plain TypeScript rather than sharp: one sharp call per image
 * costs about 2 ms here, minutes for MNIST. The filter is a triangle
 * (bilinear) widened by the shrink factor when shrinking, so every source
 * pixel contributes (antialiased, as Pillow's BILINEAR resize).
 *
 * @param images uint8 tensor N×H×W
 * @param size output width and height
 * @returns uint8 tensor N×size×size (the input itself when already that size)
 * @example
 * ```ts
 * import { resizeImages } from "./image_folder.ts";
 * import { tensor } from "../engine/tensor.ts";
 *
 * const small = resizeImages(tensor("uint8", [1, 2, 2], new Uint8Array([0, 100, 200, 100])), 1);
 * if (small.data.join() !== "100") throw new Error(`got ${small.data}`);
 * ```
 */
export function resizeImages(images: Tensor<"uint8">, size: number): Tensor<"uint8"> {
  const [count = 0, height = 0, width = 0] = images.shape;
  if (height === size && width === size) return images;
  const columnTaps = resamplingTaps(width, size);
  const rowTaps = resamplingTaps(height, size);
  const pixels = new Uint8Array(count * size * size);
  const widened = new Float32Array(height * size); // one image resized along its rows only
  for (let image = 0; image < count; image++) {
    const source = image * height * width;
    for (let row = 0; row < height; row++) {
      for (let column = 0; column < size; column++) {
        const first = columnTaps.first[column]!;
        const offset = column * columnTaps.stride;
        let sum = 0;
        for (let tap = 0; tap < columnTaps.count[column]!; tap++) {
          sum += columnTaps.weight[offset + tap]! *
            images.data[source + row * width + first + tap]!;
        }
        widened[row * size + column] = sum;
      }
    }
    const target = image * size * size;
    for (let row = 0; row < size; row++) {
      const first = rowTaps.first[row]!;
      const offset = row * rowTaps.stride;
      for (let column = 0; column < size; column++) {
        let sum = 0;
        for (let tap = 0; tap < rowTaps.count[row]!; tap++) {
          sum += rowTaps.weight[offset + tap]! * widened[(first + tap) * size + column]!;
        }
        pixels[target + row * size + column] = Math.min(255, Math.max(0, Math.round(sum)));
      }
    }
  }
  return tensor("uint8", [count, size, size], pixels);
}

/** Which input pixels each output pixel averages along one axis, and with what weights. */
interface ResamplingTaps {
  /** First input pixel of each output pixel. */
  readonly first: Int32Array;
  /** Number of input pixels of each output pixel. */
  readonly count: Int32Array;
  /** Weights (summing to 1), `stride` slots per output pixel. */
  readonly weight: Float32Array;
  readonly stride: number;
}

function resamplingTaps(inputSize: number, outputSize: number): ResamplingTaps {
  const scale = inputSize / outputSize;
  const radius = Math.max(scale, 1); // the triangle's half-width, in input pixels
  const stride = Math.ceil(radius) * 2 + 1;
  const first = new Int32Array(outputSize);
  const count = new Int32Array(outputSize);
  const weight = new Float32Array(outputSize * stride);
  for (let output = 0; output < outputSize; output++) {
    const centre = (output + 0.5) * scale;
    const start = Math.max(0, Math.floor(centre - radius));
    const end = Math.min(inputSize, Math.ceil(centre + radius));
    let total = 0;
    for (let input = start; input < end; input++) {
      const tapWeight = Math.max(0, 1 - Math.abs(input + 0.5 - centre) / radius);
      weight[output * stride + input - start] = tapWeight;
      total += tapWeight;
    }
    for (let input = start; input < end; input++) weight[output * stride + input - start]! /= total;
    first[output] = start;
    count[output] = end - start;
  }
  return { first, count, weight, stride };
}

/** Runs `task(0..count-1)` with at most {@link DECODES_IN_FLIGHT} at a time; fails on the first error. */
async function forEachConcurrently(
  count: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      try {
        await task(next++);
      } catch (error) {
        failed = true; // the other workers stop after their current task
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DECODES_IN_FLIGHT, count) }, worker));
}

function isVisible(name: string): boolean {
  return !name.startsWith(".");
}

function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory; // stat follows symbolic links
  } catch {
    return false;
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
