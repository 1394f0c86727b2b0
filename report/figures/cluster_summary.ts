/**
 * What each cluster is, read off the contingency table: its most common
 * label, its size and its purity, and the caption lines the centroid grids
 * show under each image. Kept apart from the figures so the summary can be
 * tested on its own and the captions of both grids agree.
 *
 * @module
 */
import { formatCount } from "./_svg.ts";
import { labelName } from "./_colours.ts";

/**
 * What one row of a contingency table says about its cluster, for captions:
 * its most common label, its size and its purity.
 */
export interface ClusterSummary {
  /** The cluster's row in the table. */
  readonly cluster: number;
  /** Its most common label (the smallest on a tie), or null when it has no labelled member. */
  readonly majorityLabel: number | null;
  /** Labelled members of the cluster (the table leaves unlabelled images out). */
  readonly size: number;
  /** Share of members carrying the majority label; 0 without labelled members. */
  readonly purity: number;
}

/**
 * Summarises each cluster of a contingency table whose rows are clusters and
 * whose columns are labels (column j counts label j).
 *
 * @param table counts, `table[cluster][label]`
 * @returns one summary per row, in row order
 * @example
 * ```ts
 * import { clusterSummaries } from "./cluster_summary.ts";
 * const [first] = clusterSummaries([[1, 3], [0, 0]]);
 * if (first?.majorityLabel !== 1 || first.purity !== 0.75) throw new Error();
 * ```
 */
export function clusterSummaries(table: readonly (readonly number[])[]): ClusterSummary[] {
  return table.map((row, cluster) => {
    let size = 0;
    let majorityLabel: number | null = null;
    let majorityCount = 0;
    row.forEach((count, label) => {
      size += count;
      if (count > majorityCount) {
        majorityCount = count;
        majorityLabel = label;
      }
    });
    return { cluster, majorityLabel, size, purity: size > 0 ? majorityCount / size : 0 };
  });
}

/**
 * Caption lines for a cluster's image: `cluster 3`, `mostly 7`,
 * `6,012 images`, `purity 0.81`; a cluster without labelled images says so.
 *
 * @param summary the cluster's summary
 * @param labelNames the data set's label names (`labelNames[label]`); numbers otherwise
 * @returns the lines, top first
 */
export function clusterCaption(summary: ClusterSummary, labelNames?: readonly string[]): string[] {
  if (summary.majorityLabel === null) return [`cluster ${summary.cluster}`, "no labelled images"];
  return [
    `cluster ${summary.cluster}`,
    `mostly ${labelName(summary.majorityLabel, labelNames)}`,
    `${formatCount(summary.size)} image${summary.size === 1 ? "" : "s"}`,
    `purity ${summary.purity.toFixed(2)}`,
  ];
}
