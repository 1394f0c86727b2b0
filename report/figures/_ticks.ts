/**
 * Axis ticks at round numbers and their labels, for the scatter's axes and
 * the line chart. Private to `report/figures/`.
 *
 * @example
 * ```ts
 * import { formatTick, niceTicks } from "./_ticks.ts";
 *
 * if (niceTicks(0, 1).join() !== "0,0.2,0.4,0.6,0.8,1") throw new Error();
 * if (formatTick(0.00001) !== "1e-5") throw new Error();
 * ```
 *
 * @module
 */

/**
 * About `count` evenly spaced round values (steps of 1, 2 or 5 × 10^n) that
 * cover [min, max]; the range is widened to a unit when it is empty.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) {
    min -= 0.5;
    max += 0.5;
  }
  const rough = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) {
    // Multiplying the index keeps ticks free of accumulated rounding (0.30000000000000004).
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/** A tick value as short text: `0.25`, `1,000`, `1e-5`. */
export function formatTick(value: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(0);
  return String(Number(value.toPrecision(6)));
}
