/**
 * The contingency table of a clustering against known labels: how many
 * points of each label fell in each cluster. Every clustering metric in
 * `metrics.ts` is computed from it.
 *
 * @module
 */

/** Counts of points per (cluster, label), row-major: rows are clusters. */
export interface ContingencyTable {
  /** Number of rows (clusters), empty ones included. */
  readonly clusterCount: number;
  /** Number of columns (labels 0..labelCount-1), absent ones included. */
  readonly labelCount: number;
  /** `counts[cluster * labelCount + label]`. */
  readonly counts: Int32Array;
}

/** The label that marks a point whose true label is unknown; it is left out. */
export const UNKNOWN_LABEL: number = -1;

/**
 * Counts the points of each label in each cluster. Points labelled
 * {@link UNKNOWN_LABEL} are left out.
 *
 * @param assignments cluster of each point, in 0..clusterCount-1
 * @param labels true label of each point, in 0..labelCount-1, or -1 when unknown
 * @param clusterCount number of rows; defaults to the largest assignment + 1
 * @param labelCount number of columns; defaults to the largest label + 1
 * @returns the table, clusters × labels
 * @throws {RangeError} when the arrays differ in length or hold a value outside its range
 * @example
 * ```ts
 * import { contingencyRows, contingencyTable } from "./contingency.ts";
 *
 * // Point 1's label is unknown (-1): it is left out.
 * const table = contingencyTable(new Int32Array([0, 0, 1]), new Int32Array([2, -1, 0]));
 * const rows = JSON.stringify(contingencyRows(table));
 * if (rows !== "[[0,0,1],[1,0,0]]") throw new Error(rows);
 * ```
 */
export function contingencyTable(
  assignments: Int32Array,
  labels: Int32Array,
  clusterCount: number = largest(assignments) + 1,
  labelCount: number = largest(labels) + 1,
): ContingencyTable {
  if (assignments.length !== labels.length) {
    throw new RangeError(
      `Cannot compare ${assignments.length} assignments with ${labels.length} labels: one per point is needed`,
    );
  }
  const counts = new Int32Array(clusterCount * labelCount);
  for (let i = 0; i < labels.length; i++) {
    const cluster = assignments[i]!;
    const label = labels[i]!;
    if (cluster < 0 || cluster >= clusterCount) {
      throw new RangeError(
        `Assignment ${cluster} of point ${i} is outside the clusters 0..${clusterCount - 1}`,
      );
    }
    if (label === UNKNOWN_LABEL) continue;
    if (label < 0 || label >= labelCount) {
      throw new RangeError(
        `Label ${label} of point ${i} is outside the labels 0..${
          labelCount - 1
        } (or -1 for unknown)`,
      );
    }
    counts[cluster * labelCount + label]!++;
  }
  return { clusterCount, labelCount, counts };
}

/**
 * A table from its rows, as written by hand or read back from JSON.
 *
 * @param rows one array per cluster, one count per label; all the same length
 * @returns the table
 * @throws {RangeError} when rows differ in length or a count is not a non-negative integer
 */
export function contingencyFromRows(rows: readonly (readonly number[])[]): ContingencyTable {
  const labelCount = rows[0]?.length ?? 0;
  const counts = new Int32Array(rows.length * labelCount);
  rows.forEach((row, cluster) => {
    if (row.length !== labelCount) {
      throw new RangeError(
        `Row ${cluster} of the contingency table has ${row.length} counts; row 0 has ${labelCount}`,
      );
    }
    row.forEach((count, label) => {
      if (!Number.isInteger(count) || count < 0 || count > 0x7fffffff) {
        throw new RangeError(
          `Count [${cluster}][${label}] must be a non-negative integer: ${count}`,
        );
      }
      counts[cluster * labelCount + label] = count;
    });
  });
  return { clusterCount: rows.length, labelCount, counts };
}

/**
 * The table as nested arrays (one per cluster), for JSON output.
 *
 * @param table the table
 * @returns `rows[cluster][label]`
 */
export function contingencyRows(table: ContingencyTable): number[][] {
  const rows: number[][] = [];
  for (let cluster = 0; cluster < table.clusterCount; cluster++) {
    const start = cluster * table.labelCount;
    rows.push(Array.from(table.counts.subarray(start, start + table.labelCount)));
  }
  return rows;
}

/**
 * Number of points in each cluster (row sums).
 *
 * @param table the table
 * @returns one count per cluster
 */
export function clusterSizes(table: ContingencyTable): Float64Array {
  const sizes = new Float64Array(table.clusterCount);
  for (let cluster = 0; cluster < table.clusterCount; cluster++) {
    for (let label = 0; label < table.labelCount; label++) {
      sizes[cluster] = sizes[cluster]! + table.counts[cluster * table.labelCount + label]!;
    }
  }
  return sizes;
}

/**
 * Number of points with each label (column sums).
 *
 * @param table the table
 * @returns one count per label
 */
export function labelSizes(table: ContingencyTable): Float64Array {
  const sizes = new Float64Array(table.labelCount);
  for (let cluster = 0; cluster < table.clusterCount; cluster++) {
    for (let label = 0; label < table.labelCount; label++) {
      sizes[label] = sizes[label]! + table.counts[cluster * table.labelCount + label]!;
    }
  }
  return sizes;
}

function largest(values: Int32Array): number {
  let result = -1;
  for (const value of values) if (value > result) result = value;
  return result;
}
