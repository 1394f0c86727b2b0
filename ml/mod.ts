/**
 * The machine-learning kernels, pure functions on typed arrays: the
 * Gaussian mixture (`gmm.ts`), exact nearest neighbours (`nearest_neighbours.ts`),
 * the seeded random numbers every random choice goes through (`random.ts`),
 * and in sub-folders k-means (`kmeans/`), UMAP (`umap/`) and the clustering
 * metrics (`metrics/`), all re-exported here. What the kernels share sits
 * in this folder without a `_` so the sub-folders may import it, but is no
 * part of this public face: the dense linear algebra, the k-means and GMM
 * option check, the tolerance scale, and the WebAssembly module builder.
 *
 * This is the folder's public face for readers and other programs. Stages
 * import the module they need (`../ml/kmeans/kmeans.ts`) rather than this
 * one: a stage's cache key digests every module it imports, and this one
 * imports the whole folder (editing UMAP would re-run the pixel baseline).
 *
 * @module
 */
export type { GaussianMixture, GaussianMixtureOptions, GaussianMixtureResult } from "./gmm.ts";
export { fitGaussianMixture, predictGaussianMixture } from "./gmm.ts";
export type { NeighbourLists, NeighbourSearchOptions } from "./nearest_neighbours.ts";
export { nearestNeighbours, selfNearestNeighbours } from "./nearest_neighbours.ts";
export { Random } from "./random.ts";
export * from "./kmeans/mod.ts";
export * from "./umap/mod.ts";
export * from "./metrics/mod.ts";
