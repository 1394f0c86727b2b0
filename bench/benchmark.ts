/**
 * One figure that `deno task bench` reports. `measure` runs the work once and
 * returns the figure; the harness calls it `repeats` times and reports the
 * median (these machines are shared and noisy).
 *
 * @module
 */

/** One benchmark: its name, unit, how often to repeat it, and the work. */
export interface Benchmark {
  /** What is measured, including the data: "k-means 60000×3, k=10, one init". */
  readonly name: string;
  /** Unit of the figure: "ms", "s", "samples/s". */
  readonly unit: string;
  /** True when a larger figure is better (throughput); false for times. */
  readonly higherIsBetter: boolean;
  /** How many times to measure; the median is reported. */
  readonly repeats: number;
  /** Optional one-time preparation (load data, warm up), not timed. */
  setup?(): Promise<void>;
  /** Runs the work once and returns the figure in `unit`. */
  measure(): Promise<number>;
  /** Optional clean-up after the last repeat. */
  teardown?(): Promise<void>;
}
