/**
 * How well a clustering matches known labels: the contingency table of
 * clusters against labels (`contingency.ts`), the scores computed from it
 * (`metrics.ts`: purity, weighted purity, accuracy, NMI, ARI) and the
 * Hungarian algorithm that accuracy's one-to-one mapping uses
 * (`hungarian.ts`).
 *
 * This is the folder's public face for readers and other programs. Stages
 * import the module they need (`../ml/metrics/metrics.ts`) rather than this
 * one: a stage's cache key digests every module it imports.
 *
 * @module
 */
export type { ContingencyTable } from "./contingency.ts";
export {
  clusterSizes,
  contingencyFromRows,
  contingencyRows,
  contingencyTable,
  labelSizes,
  UNKNOWN_LABEL,
} from "./contingency.ts";
export { hungarian } from "./hungarian.ts";
export type { ClusteringScores } from "./metrics.ts";
export { accuracy, ari, nmi, purity, scoreClustering, weightedPurity } from "./metrics.ts";
