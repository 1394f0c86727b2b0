/**
 * A budget of cores shared by every stage a process runs (all the runs of a
 * sweep or a replicate group included): a stage starts when the cores it
 * declares are free, so ready stages run side by side without
 * oversubscribing the machine (`--jobs N`).
 *
 * @example
 * ```ts
 * import { Scheduler } from "./scheduler.ts";
 *
 * const scheduler = new Scheduler(2);
 * let running = 0, most = 0;
 * const task = () =>
 *   scheduler.run(1, async () => {
 *     most = Math.max(most, ++running);
 *     await new Promise((resolve) => setTimeout(resolve, 10));
 *     running--;
 *   });
 * await Promise.all([task(), task(), task(), task()]);
 * if (most !== 2) throw new Error(`${most} ran at once`);
 * ```
 *
 * @module
 */

interface Waiter {
  readonly cores: number;
  readonly start: () => void;
}

/** Runs tasks within a number of cores. */
export class Scheduler {
  #busy = 0;
  readonly #waiting: Waiter[] = [];

  /**
   * @param cores the budget (`--jobs`); at least 1
   * @throws {RangeError} when it is not a positive integer
   */
  constructor(readonly cores: number) {
    if (!Number.isInteger(cores) || cores < 1) {
      throw new RangeError(`A scheduler needs a whole number of cores ≥ 1, got ${cores}`);
    }
  }

  /** Cores in use now. */
  get busy(): number {
    return this.#busy;
  }

  /**
   * Runs `task` once `cores` are free (a task that wants more than the
   * budget runs alone), in the order tasks asked, except that a task that
   * fits may pass one that does not yet.
   *
   * @param cores how many cores the task keeps busy
   * @param task the work
   * @returns what the task returns
   */
  async run<T>(cores: number, task: () => Promise<T>): Promise<T> {
    const wanted = Math.max(1, Math.min(Math.round(cores), this.cores));
    await new Promise<void>((start) => {
      this.#waiting.push({ cores: wanted, start });
      this.#dispatch();
    });
    try {
      return await task();
    } finally {
      this.#busy -= wanted;
      this.#dispatch();
    }
  }

  #dispatch(): void {
    for (let i = 0; i < this.#waiting.length;) {
      const waiter = this.#waiting[i]!;
      if (this.#busy + waiter.cores <= this.cores) {
        this.#waiting.splice(i, 1);
        this.#busy += waiter.cores;
        waiter.start();
      } else {
        i++;
      }
    }
  }
}
