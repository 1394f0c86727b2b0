/**
 * How well a clustering matches known labels, from its contingency table:
 * purity (the seed's and the textbook one), accuracy under the best
 * one-to-one mapping, NMI and ARI. Conventions for degenerate tables follow
 * scikit-learn, so the figures can be checked against it.
 *
 * @module
 */
import type { ContingencyTable } from "./contingency.ts";
import { clusterSizes, labelSizes } from "./contingency.ts";
import { hungarian } from "./hungarian.ts";

/**
 * The scores evaluation reports for one clustering. Scores are null when no
 * point has a known label (unlabelled data, or an empty test split).
 */
export type ClusteringScores = {
  /** The seed's purity: the unweighted mean over non-empty clusters of each one's purity. */
  readonly purity: number | null;
  /** Textbook purity: points carrying their cluster's most common label / all points. */
  readonly weightedPurity: number | null;
  /** Points matched under the best one-to-one mapping of clusters to labels / all points. */
  readonly accuracy: number | null;
  /** Normalised mutual information, arithmetic mean of the entropies as normaliser. */
  readonly nmi: number | null;
  /** Adjusted Rand index. */
  readonly ari: number | null;
  /** Number of clusters (rows of the table, empty ones included). */
  readonly k: number;
  /** Number of labelled points scored. */
  readonly n: number;
};

/** The scores of {@link ClusteringScores} that tables and figures show, in their order. */
export const metricNames = ["purity", "weightedPurity", "accuracy", "nmi", "ari"] as const;

/**
 * The seed post's purity: for each non-empty cluster, the fraction of its
 * members that carry its most common label; then the unweighted mean over
 * those clusters (a small, pure cluster counts as much as a big one).
 *
 * @param table clusters × labels
 * @returns a value in (0, 1]
 * @throws {RangeError} when the table counts no points
 * @example
 * ```ts
 * import { contingencyFromRows } from "./contingency.ts";
 * import { purity } from "./metrics.ts";
 * // Cluster 0 is 3/4 pure, cluster 1 is 1/1: (0.75 + 1) / 2.
 * if (purity(contingencyFromRows([[3, 1], [0, 1]])) !== 0.875) throw new Error();
 * ```
 */
export function purity(table: ContingencyTable): number {
  checkNotEmpty(table);
  const sizes = clusterSizes(table);
  let sum = 0;
  let nonEmpty = 0;
  for (let cluster = 0; cluster < table.clusterCount; cluster++) {
    if (sizes[cluster] === 0) continue;
    sum += largestInRow(table, cluster) / sizes[cluster]!;
    nonEmpty++;
  }
  return sum / nonEmpty;
}

/**
 * Textbook purity: the fraction of all points that carry the most common
 * label of their cluster.
 *
 * @param table clusters × labels
 * @returns a value in (0, 1]
 * @throws {RangeError} when the table counts no points
 */
export function weightedPurity(table: ContingencyTable): number {
  const total = checkNotEmpty(table);
  let matched = 0;
  for (let cluster = 0; cluster < table.clusterCount; cluster++) {
    matched += largestInRow(table, cluster);
  }
  return matched / total;
}

/**
 * Clustering accuracy: the fraction of points whose label is the one their
 * cluster maps to, under the one-to-one mapping of clusters to labels that
 * matches most points (Hungarian algorithm). With more clusters than labels,
 * points of unmapped clusters count as wrong.
 *
 * @param table clusters × labels
 * @returns a value in (0, 1]
 * @throws {RangeError} when the table counts no points
 */
export function accuracy(table: ContingencyTable): number {
  const total = checkNotEmpty(table);
  const { clusterCount, labelCount, counts } = table;
  const cost: number[][] = [];
  for (let cluster = 0; cluster < clusterCount; cluster++) {
    const row: number[] = [];
    for (let label = 0; label < labelCount; label++) {
      row.push(-counts[cluster * labelCount + label]!);
    }
    cost.push(row);
  }
  const labelOfCluster = hungarian(cost);
  let matched = 0;
  labelOfCluster.forEach((label, cluster) => {
    if (label >= 0) matched += counts[cluster * labelCount + label]!;
  });
  return matched / total;
}

/**
 * Normalised mutual information: I(clusters; labels) divided by the mean of
 * the two entropies (scikit-learn's default, `average_method="arithmetic"`).
 * As in scikit-learn, one cluster against one label scores 1, and any other
 * table with zero mutual information scores 0.
 *
 * @param table clusters × labels
 * @returns a value in [0, 1]
 * @throws {RangeError} when the table counts no points
 */
export function nmi(table: ContingencyTable): number {
  const total = checkNotEmpty(table);
  const clusters = nonZero(clusterSizes(table));
  const labels = nonZero(labelSizes(table));
  if (clusters.length === 1 && labels.length === 1) return 1;
  const information = mutualInformation(table, total);
  if (information === 0) return 0;
  return information / ((entropy(clusters, total) + entropy(labels, total)) / 2);
}

/**
 * Adjusted Rand index: agreement over pairs of points, corrected for chance
 * (0 for random labels, 1 for identical partitions, possibly negative).
 * Computed from the pair confusion matrix in exact integer arithmetic, as
 * scikit-learn does; identical partitions (no disagreeing pair) score 1.
 *
 * @param table clusters × labels
 * @returns a value in [-0.5, 1]
 * @throws {RangeError} when the table counts no points
 * @example
 * ```ts
 * import { contingencyFromRows } from "./contingency.ts";
 * import { ari } from "./metrics.ts";
 *
 * // The same partition under other names scores 1; an even split of each label, 0 or below.
 * if (ari(contingencyFromRows([[0, 3], [3, 0]])) !== 1) throw new Error();
 * if (ari(contingencyFromRows([[1, 1], [1, 1]])) > 0) throw new Error();
 * ```
 */
export function ari(table: ContingencyTable): number {
  const total = BigInt(checkNotEmpty(table));
  const { clusterCount, labelCount, counts } = table;
  const clusters = clusterSizes(table);
  const labels = labelSizes(table);
  // Ordered pairs: in the same cluster and label, in one but not the other, in neither.
  let sumSquares = 0n;
  let sameCluster = 0n;
  let sameLabel = 0n;
  for (let cluster = 0; cluster < clusterCount; cluster++) {
    for (let label = 0; label < labelCount; label++) {
      const count = BigInt(counts[cluster * labelCount + label]!);
      sumSquares += count * count;
      sameCluster += count * BigInt(clusters[cluster]!);
      sameLabel += count * BigInt(labels[label]!);
    }
  }
  const both = sumSquares - total;
  const clusterOnly = sameCluster - sumSquares;
  const labelOnly = sameLabel - sumSquares;
  const neither = total * total - clusterOnly - labelOnly - sumSquares;
  if (clusterOnly === 0n && labelOnly === 0n) return 1;
  const numerator = 2n * (both * neither - labelOnly * clusterOnly);
  const denominator = (both + labelOnly) * (labelOnly + neither) +
    (both + clusterOnly) * (clusterOnly + neither);
  return Number(numerator) / Number(denominator);
}

/**
 * Every score of a clustering, from its contingency table; nulls when the
 * table counts no labelled point.
 *
 * @param table clusters × labels
 * @returns the scores, with the number of clusters and of labelled points
 * @example
 * ```ts
 * import { contingencyTable } from "./contingency.ts";
 * import { scoreClustering } from "./metrics.ts";
 * const table = contingencyTable(new Int32Array([1, 1, 0]), new Int32Array([0, 0, 1]));
 * const scores = scoreClustering(table); // purity 1, …, k 2, n 3
 * if (scores.accuracy !== 1 || scores.n !== 3) throw new Error();
 * ```
 */
export function scoreClustering(table: ContingencyTable): ClusteringScores {
  const n = total(table);
  const k = table.clusterCount;
  if (n === 0) {
    return { purity: null, weightedPurity: null, accuracy: null, nmi: null, ari: null, k, n };
  }
  return {
    purity: purity(table),
    weightedPurity: weightedPurity(table),
    accuracy: accuracy(table),
    nmi: nmi(table),
    ari: ari(table),
    k,
    n,
  };
}

/** Mutual information in nats, term by term as scikit-learn sums it. */
function mutualInformation(table: ContingencyTable, count: number): number {
  const { clusterCount, labelCount, counts } = table;
  const clusters = clusterSizes(table);
  const labels = labelSizes(table);
  const logTotal = Math.log(count);
  let sum = 0;
  for (let cluster = 0; cluster < clusterCount; cluster++) {
    for (let label = 0; label < labelCount; label++) {
      const joint = counts[cluster * labelCount + label]!;
      if (joint === 0) continue;
      const share = joint / count;
      const term = share * (Math.log(joint) - logTotal) +
        share * (-Math.log(clusters[cluster]! * labels[label]!) + logTotal + logTotal);
      // Rounding noise around zero is dropped, as scikit-learn does.
      if (Math.abs(term) >= Number.EPSILON) sum += term;
    }
  }
  return Math.max(sum, 0);
}

/** Entropy in nats of a partition given its non-empty part sizes. */
function entropy(sizes: readonly number[], count: number): number {
  if (sizes.length === 1) return 0;
  const logTotal = Math.log(count);
  let sum = 0;
  for (const size of sizes) sum -= (size / count) * (Math.log(size) - logTotal);
  return sum;
}

function largestInRow(table: ContingencyTable, cluster: number): number {
  let most = 0;
  for (let label = 0; label < table.labelCount; label++) {
    most = Math.max(most, table.counts[cluster * table.labelCount + label]!);
  }
  return most;
}

function nonZero(sizes: Float64Array): number[] {
  return Array.from(sizes).filter((size) => size > 0);
}

function total(table: ContingencyTable): number {
  let sum = 0;
  for (const count of table.counts) sum += count;
  return sum;
}

function checkNotEmpty(table: ContingencyTable): number {
  const count = total(table);
  if (count === 0) {
    throw new RangeError("Cannot score a clustering of no labelled points: every label is unknown");
  }
  return count;
}
