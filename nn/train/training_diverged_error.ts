/**
 * The error of a training run whose loss or weights became NaN or infinite:
 * it says where (epoch and step) so the `train` stage can tell the user what
 * to change, and nothing of the run is kept (no checkpoint, no output).
 *
 * @module
 */

/** Which value was found not finite. */
export type DivergedQuantity = "loss" | "weights" | "optimizer state";

/** Training stopped because a loss or a weight became NaN or infinite. */
export class TrainingDivergedError extends Error {
  override readonly name = "TrainingDivergedError";
  /**
   * @param epoch the epoch (1-based) in which it was found
   * @param epochs epochs the run was to train
   * @param step the step (1-based) whose loss was not finite; undefined when
   *   found in the weights at the end of the epoch
   * @param steps steps per epoch
   * @param quantity what was not finite
   * @param value the value found (NaN, Infinity or -Infinity)
   */
  constructor(
    readonly epoch: number,
    readonly epochs: number,
    readonly step: number | undefined,
    readonly steps: number,
    readonly quantity: DivergedQuantity,
    readonly value: number,
  ) {
    super(
      `training diverged in epoch ${epoch}/${epochs}` +
        (step === undefined ? ", at its end" : `, step ${step}/${steps}`) +
        `: the ${quantity} became ${value}`,
    );
  }
}
