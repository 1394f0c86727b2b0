/**
 * Learning-rate schedules: the step size of each optimizer update as a
 * function of how far training has gone.
 *
 * @module
 */

/** How the learning rate changes over training. */
export type LearningRateSchedule = "constant" | "cosine";

/** The schedules, for the configuration schema. */
export const LEARNING_RATE_SCHEDULES: readonly LearningRateSchedule[] = ["constant", "cosine"];

/**
 * The learning rate of update `step` (0-based) out of `totalSteps`.
 * `constant` keeps `base` throughout; `cosine` falls from `base` to zero
 * along half a cosine wave (Loshchilov & Hutter's annealing, without restarts).
 *
 * @param schedule the schedule
 * @param base the initial learning rate
 * @param step 0-based update number
 * @param totalSteps updates in the whole run
 * @returns the learning rate for that update
 * @example
 * ```ts
 * import { learningRateAt } from "./_learning_rate.ts";
 *
 * // Halfway through, the cosine schedule is at half the base rate.
 * if (Math.abs(learningRateAt("cosine", 0.01, 50, 100) - 0.005) > 1e-15) throw new Error();
 * if (learningRateAt("constant", 0.01, 50, 100) !== 0.01) throw new Error();
 * ```
 */
export function learningRateAt(
  schedule: LearningRateSchedule,
  base: number,
  step: number,
  totalSteps: number,
): number {
  switch (schedule) {
    case "constant":
      return base;
    case "cosine":
      return totalSteps <= 0 ? base : base * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
    default: {
      const unknown: never = schedule;
      throw new Error(`Unknown learning-rate schedule ${unknown}`);
    }
  }
}
