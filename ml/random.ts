/**
 * A small seeded pseudo-random generator (mulberry32): every random choice in
 * encluster (shuffles, k-means seeding, weight initialisation) goes through
 * one, so a configuration with a seed gives the same result every time.
 *
 * @example
 * ```ts
 * import { Random } from "./random.ts";
 *
 * const a = new Random(7);
 * const b = new Random(7);
 * if (a.next() !== b.next() || a.int(10) !== b.int(10)) throw new Error("not reproducible");
 * ```
 *
 * @module
 */
/** A seeded generator: equal seeds give equal sequences of every kind of draw. */
export class Random {
  #state: number;

  /**
   * A generator at the start of the sequence of `seed`.
   *
   * @param seed any integer; equal seeds give equal sequences
   */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }
}
