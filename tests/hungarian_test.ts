import assert from "node:assert/strict";
import { hungarian } from "../ml/metrics/hungarian.ts";
import { Random } from "../ml/random.ts";

function totalCost(cost: number[][], columns: Int32Array): number {
  let sum = 0;
  columns.forEach((column, row) => {
    if (column >= 0) sum += cost[row]![column]!;
  });
  return sum;
}

/** The lowest total over every one-to-one assignment, by enumeration. */
function bruteForceBest(cost: number[][]): number {
  const rows = cost.length;
  const columns = cost[0]!.length;
  const used = new Array<boolean>(columns).fill(false);
  const matched = Math.min(rows, columns);
  let best = Infinity;
  // Each row takes a free column or (when rows outnumber columns) none.
  const visit = (row: number, sum: number, taken: number): void => {
    if (row === rows) {
      if (taken === matched) best = Math.min(best, sum);
      return;
    }
    if (rows - row > matched - taken) visit(row + 1, sum, taken);
    for (let column = 0; column < columns; column++) {
      if (used[column]) continue;
      used[column] = true;
      visit(row + 1, sum + cost[row]![column]!, taken + 1);
      used[column] = false;
    }
  };
  visit(0, 0, 0);
  return best;
}

Deno.test("hungarian() beats greedy matching when the cheapest cell is a trap", () => {
  // Greedy takes the 1 and must then take the 10 (total 11); best is 2 + 3.
  const cost = [[1, 2], [3, 10]];
  assert.deepEqual(Array.from(hungarian(cost)), [1, 0]);
});

Deno.test("hungarian() gives every row a distinct column when columns outnumber rows", () => {
  const cost = [[4, 1, 3, 9], [2, 0, 5, 9]];
  const columns = hungarian(cost);
  assert.equal(new Set(columns).size, 2);
  assert.equal(totalCost(cost, columns), 3);
});

Deno.test("hungarian() leaves the costliest rows unassigned when rows outnumber columns", () => {
  const cost = [[5, 9], [1, 8], [9, 2]];
  assert.deepEqual(Array.from(hungarian(cost)), [-1, 0, 1]);
});

Deno.test("hungarian() finds the optimum of random tables, square and rectangular", () => {
  const random = new Random(7);
  for (let trial = 0; trial < 60; trial++) {
    const rows = 1 + random.int(6);
    const columns = 1 + random.int(6);
    // Negative costs too: accuracy() minimises negated counts.
    const cost = Array.from(
      { length: rows },
      () => Array.from({ length: columns }, () => random.int(21) - 10),
    );
    const assignment = hungarian(cost);
    const assigned = Array.from(assignment).filter((column) => column >= 0);
    assert.equal(assigned.length, Math.min(rows, columns));
    assert.equal(new Set(assigned).size, assigned.length, "a column used twice");
    assert.equal(totalCost(cost, assignment), bruteForceBest(cost), JSON.stringify(cost));
  }
});

Deno.test("hungarian() handles an empty table and rejects ragged or non-finite ones", () => {
  assert.deepEqual(Array.from(hungarian([])), []);
  assert.throws(() => hungarian([[1, 2], [3]]), RangeError);
  assert.throws(() => hungarian([[1, NaN]]), RangeError);
});
