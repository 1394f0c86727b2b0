/**
 * k-means: `kmeans.ts` clusters points (seeded initialisations, Lloyd's
 * iteration with Hamerly's or Elkan's exact bounds, WebAssembly SIMD
 * distances on wide rows) and assigns new points to the centroids. The
 * private modules are the initialisations, one run, the assignment steps
 * and the two distance kernels.
 *
 * This is the folder's public face for readers and other programs. Stages
 * import `../ml/kmeans/kmeans.ts` rather than this one: a stage's cache key
 * digests every module it imports.
 *
 * @module
 */
export type { KMeansInit, KMeansOptions, KMeansResult } from "./kmeans.ts";
export { assign, kmeans } from "./kmeans.ts";
