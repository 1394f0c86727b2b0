/**
 * Where a run of numbers stops being finite: the check that catches a
 * diverged training run (a NaN or an infinity in the loss or the weights)
 * before anything of it is saved. A plain loop over a typed array: the
 * seed model's 721,059 weights and Adam's two slots take about a millisecond.
 *
 * @module
 */

/**
 * The index of the first value of `values` that is NaN or ±Infinity.
 *
 * @param values the numbers to check
 * @returns its index, or -1 when every value is finite
 */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    // `x - x` is 0 for a finite x and NaN for NaN and ±Infinity.
    if (values[i]! - values[i]! !== 0) return i;
  }
  return -1;
}
