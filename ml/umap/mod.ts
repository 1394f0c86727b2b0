/**
 * UMAP, the embedding N2D clusters after: `umap_embedding.ts` fits an
 * embedding from the points' nearest-neighbour lists and places new points
 * in it. The private modules are the fuzzy graph, the spectral start and
 * the layout optimisation.
 *
 * This is the folder's public face for readers and other programs. Stages
 * import `../ml/umap/umap_embedding.ts` rather than this one: a stage's
 * cache key digests every module it imports.
 *
 * @module
 */
export type { UmapInit, UmapModel, UmapOptions } from "./umap_embedding.ts";
export { fitUmap, transformUmap } from "./umap_embedding.ts";
