/**
 * Training progress, one epoch at a time. On a terminal, a Keras-like bar
 * redrawn in place:
 *
 *     Epoch 3/20 [=========>....................] 19968/60000 - 7s - ETA 14s - loss: 0.1712
 *
 * and, when the epoch ends, the same line completed with its throughput.
 * In a log (not a terminal), one plain line per epoch:
 *
 *     epoch 3/20: loss 0.171234, 21.3 s, 2817 samples/s
 *
 * @module
 */

/** Where progress goes and how it is timed. */
export interface ProgressOptions {
  /** Epochs in the run. */
  readonly epochs: number;
  /** Samples (rows) per epoch. */
  readonly samples: number;
  /** True to draw a bar in place; false for one line per epoch. */
  readonly interactive: boolean;
  /** Writes raw text to the terminal (used when interactive). */
  readonly write: (text: string) => void;
  /** Logs one line (used when not interactive). */
  readonly log: (line: string) => void;
  /** Milliseconds now; `performance.now` unless testing. */
  readonly now?: () => number;
  /** Minimum milliseconds between redraws of the bar. */
  readonly redrawEvery?: number;
}

/** Characters in the bar between the brackets. */
const BAR_WIDTH = 30;

/** Reports progress through the epochs of a training run. */
export class EpochProgress {
  readonly #options: ProgressOptions;
  readonly #now: () => number;
  #epoch = 0;
  #started = 0;
  #lastDrawn = -Infinity;

  /** @param options where progress goes and how it is timed */
  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Starts timing an epoch.
   *
   * @param epoch 1-based epoch number
   */
  start(epoch: number): void {
    this.#epoch = epoch;
    this.#started = this.#now();
    this.#lastDrawn = -Infinity;
    if (this.#options.interactive) this.#draw(0, undefined, false);
  }

  /**
   * Reports samples done so far in the epoch; redraws the bar at most every
   * `redrawEvery` milliseconds. Does nothing when not interactive.
   *
   * @param samplesDone samples processed in this epoch
   * @param loss mean loss so far in this epoch
   */
  update(samplesDone: number, loss: number): void {
    if (!this.#options.interactive) return;
    if (this.#now() - this.#lastDrawn < (this.#options.redrawEvery ?? 100)) return;
    this.#draw(samplesDone, loss, false);
  }

  /**
   * Ends the epoch: completes the bar, or logs the epoch's line.
   *
   * @param loss the epoch's mean loss
   */
  finish(loss: number): void {
    if (this.#options.interactive) {
      this.#draw(this.#options.samples, loss, true);
      this.#options.write("\n");
    } else {
      const seconds = (this.#now() - this.#started) / 1000;
      this.#options.log(
        `epoch ${this.#epoch}/${this.#options.epochs}: loss ${loss.toFixed(6)}, ` +
          `${seconds.toFixed(1)} s, ${throughput(this.#options.samples, seconds)} samples/s`,
      );
    }
  }

  #draw(samplesDone: number, loss: number | undefined, done: boolean): void {
    this.#lastDrawn = this.#now();
    const seconds = (this.#lastDrawn - this.#started) / 1000;
    const line = formatProgressLine({
      epoch: this.#epoch,
      epochs: this.#options.epochs,
      samplesDone,
      samples: this.#options.samples,
      seconds,
      loss,
      done,
    });
    // Carriage return and erase-line redraw in place.
    this.#options.write(`\r\x1b[K${line}`);
  }
}

/**
 * One line of the progress bar.
 *
 * @param state where the epoch is: samples done, seconds elapsed, loss so far
 * @returns the line, without line ending
 * @example
 * ```ts
 * import { formatProgressLine } from "./progress.ts";
 *
 * const line = formatProgressLine({
 *   epoch: 3, epochs: 20, samplesDone: 30000, samples: 60000, seconds: 10, loss: 0.17, done: false,
 * });
 * const expected = "Epoch 3/20 [===============>..............] 30000/60000 - 10s - ETA 10s - loss: 0.1700";
 * if (line !== expected) throw new Error(line);
 * ```
 */
export function formatProgressLine(state: {
  epoch: number;
  epochs: number;
  samplesDone: number;
  samples: number;
  seconds: number;
  loss: number | undefined;
  done: boolean;
}): string {
  const { epoch, epochs, samplesDone, samples, seconds, loss, done } = state;
  const fraction = samples === 0 ? 1 : Math.min(1, samplesDone / samples);
  const filled = Math.floor(fraction * BAR_WIDTH);
  const bar = fraction >= 1
    ? "=".repeat(BAR_WIDTH)
    : "=".repeat(filled) + ">" + ".".repeat(BAR_WIDTH - filled - 1);
  const counter = `${String(samplesDone).padStart(String(samples).length)}/${samples}`;
  const parts = [`Epoch ${epoch}/${epochs} [${bar}] ${counter}`, `${Math.round(seconds)}s`];
  if (done) {
    parts.push(`${throughput(samples, seconds)} samples/s`);
  } else if (samplesDone > 0) {
    parts.push(`ETA ${Math.round(seconds * (samples - samplesDone) / samplesDone)}s`);
  }
  if (loss !== undefined) parts.push(`loss: ${loss.toFixed(4)}`);
  return parts.join(" - ");
}

/** Samples per second, rounded, or "-" when no time has passed. */
function throughput(samples: number, seconds: number): string {
  return seconds > 0 ? String(Math.round(samples / seconds)) : "-";
}
