/**
 * The Hungarian algorithm (Kuhn–Munkres with potentials, O(n²m)): the
 * assignment of rows to columns, each used at most once, with the lowest
 * total cost. Evaluation uses it to map clusters to labels one-to-one.
 *
 * @module
 */

/**
 * Finds the minimum-cost one-to-one assignment of rows to columns. The table
 * may be rectangular: when there are more rows than columns, some rows stay
 * unassigned (-1); otherwise every row gets a distinct column.
 *
 * @param cost `cost[row][column]`, all rows the same length, finite values
 * @returns the column of each row, or -1 for a row left unassigned
 * @throws {RangeError} when rows differ in length or a cost is not finite
 * @example
 * ```ts
 * import { hungarian } from "./hungarian.ts";
 * // Greedy would take the 1 and be forced into the 10; the best total is 2 + 3.
 * const columns = hungarian([[1, 2], [3, 10]]);
 * if (columns[0] !== 1 || columns[1] !== 0) throw new Error("not optimal");
 * ```
 */
export function hungarian(cost: readonly (readonly number[])[]): Int32Array {
  const rows = cost.length;
  const columns = cost[0]?.length ?? 0;
  cost.forEach((row, index) => {
    if (row.length !== columns) {
      throw new RangeError(`Cost row ${index} has ${row.length} entries; row 0 has ${columns}`);
    }
    if (!row.every(Number.isFinite)) {
      throw new RangeError(`Cost row ${index} holds a value that is not a finite number`);
    }
  });
  if (rows <= columns) return assignRows(rows, columns, (row, column) => cost[row]![column]!);

  // More rows than columns: assign columns to rows instead, then invert.
  const rowOfColumn = assignRows(columns, rows, (column, row) => cost[row]![column]!);
  const columnOfRow = new Int32Array(rows).fill(-1);
  rowOfColumn.forEach((row, column) => {
    columnOfRow[row] = column;
  });
  return columnOfRow;
}

/**
 * The shortest-augmenting-path formulation (as in e-maxx) for rows ≤ columns.
 * Indices 1..n are rows and 1..m columns; column 0 is a sentinel.
 */
function assignRows(
  rows: number,
  columns: number,
  cost: (row: number, column: number) => number,
): Int32Array {
  const rowPotential = new Float64Array(rows + 1);
  const columnPotential = new Float64Array(columns + 1);
  // rowOf[column]: the row (1-based) holding the column, 0 for none.
  const rowOf = new Int32Array(columns + 1);
  const previousColumn = new Int32Array(columns + 1);
  const slack = new Float64Array(columns + 1);
  const visited = new Uint8Array(columns + 1);

  for (let row = 1; row <= rows; row++) {
    rowOf[0] = row;
    let column = 0;
    slack.fill(Infinity);
    visited.fill(0);
    // Grow a tree of tight edges until it reaches a free column.
    do {
      visited[column] = 1;
      const treeRow = rowOf[column]!;
      let delta = Infinity;
      let nextColumn = 0;
      for (let candidate = 1; candidate <= columns; candidate++) {
        if (visited[candidate]) continue;
        const reduced = cost(treeRow - 1, candidate - 1) - rowPotential[treeRow]! -
          columnPotential[candidate]!;
        if (reduced < slack[candidate]!) {
          slack[candidate] = reduced;
          previousColumn[candidate] = column;
        }
        if (slack[candidate]! < delta) {
          delta = slack[candidate]!;
          nextColumn = candidate;
        }
      }
      for (let candidate = 0; candidate <= columns; candidate++) {
        if (visited[candidate]) {
          rowPotential[rowOf[candidate]!] = rowPotential[rowOf[candidate]!]! + delta;
          columnPotential[candidate] = columnPotential[candidate]! - delta;
        } else {
          slack[candidate] = slack[candidate]! - delta;
        }
      }
      column = nextColumn;
    } while (rowOf[column] !== 0);
    // Flip the path from the free column back to the root.
    do {
      const previous = previousColumn[column]!;
      rowOf[column] = rowOf[previous]!;
      column = previous;
    } while (column !== 0);
  }

  const columnOfRow = new Int32Array(rows).fill(-1);
  for (let column = 1; column <= columns; column++) {
    if (rowOf[column]! > 0) columnOfRow[rowOf[column]! - 1] = column - 1;
  }
  return columnOfRow;
}
