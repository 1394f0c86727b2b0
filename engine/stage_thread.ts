/**
 * Runs one stage in a worker of its own: the host side. Each stage gets its
 * own thread, so stages that are ready at once compute at once (the pixel
 * baseline beside training), and it receives its inputs as the stored bytes,
 * decoded in the worker: exactly what a cached run would hand it, and no
 * object shared with another stage that might change it.
 *
 * @module
 */
import type { JsonValue } from "./stage.ts";
import type { ValueKind } from "./store/value_codec.ts";

/** A stage output as bytes of the store, and how to decode them. */
export interface EncodedValue {
  readonly kind: ValueKind;
  readonly bytes: Uint8Array;
}

/** What the worker is asked to do. */
export interface StageJob {
  /** The stage module's URL; it must export the stage object. */
  readonly source: string;
  readonly stage: string;
  /** The outputs of the stages it needs: stage → output → value. */
  readonly inputs: Record<string, Record<string, EncodedValue>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly scratchDir: string;
  readonly interactive: boolean;
  readonly environment: Readonly<Record<string, string>>;
}

/** What the worker says back. */
export type StageMessage =
  | { readonly type: "log"; readonly message: string }
  | {
    readonly type: "done";
    readonly outputs: Record<string, EncodedValue>;
    readonly notes: Record<string, JsonValue>;
  }
  | {
    readonly type: "failed";
    readonly name: string;
    readonly message: string;
    readonly stack: string;
  };

/** A stage that threw: the error's class name and message survive the thread. */
export class StageError extends Error {
  /**
   * @param stage the stage that failed
   * @param causeName the class name of what it threw (`ConfigError`, `RangeError`, …)
   * @param message its message
   * @param causeStack its stack, for `ENCLUSTER_DEBUG`
   */
  constructor(
    readonly stage: string,
    readonly causeName: string,
    message: string,
    readonly causeStack: string,
  ) {
    super(message);
    this.name = "StageError";
  }
}

/**
 * Runs a stage in a new worker and returns its encoded outputs and notes.
 *
 * @param job the stage, its inputs and context
 * @param log receives the stage's log lines
 * @returns the outputs (as bytes) and the notes
 * @throws {StageError} when the stage throws, or the worker dies
 */
export function runStageInWorker(
  job: StageJob,
  log: (message: string) => void,
): Promise<{ outputs: Record<string, EncodedValue>; notes: Record<string, JsonValue> }> {
  const worker = new Worker(new URL("./stage_worker.ts", import.meta.url), {
    type: "module",
    name: `stage ${job.stage}`,
  });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<StageMessage>) => {
      const message = event.data;
      switch (message.type) {
        case "log":
          log(message.message);
          break;
        case "done":
          worker.terminate();
          resolve({ outputs: message.outputs, notes: message.notes });
          break;
        case "failed":
          worker.terminate();
          reject(new StageError(job.stage, message.name, message.message, message.stack));
          break;
        default: {
          const unknown: never = message;
          reject(new Error(`Unknown message from stage worker: ${JSON.stringify(unknown)}`));
        }
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new StageError(job.stage, "Error", event.message, ""));
    };
    worker.postMessage(job);
  });
}
