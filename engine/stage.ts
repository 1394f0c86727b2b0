/**
 * The stage contract: a stage is data (its name, the stages it needs, the
 * configuration sections it reads, its source) and one function from inputs to
 * outputs. A stage never touches the store; the runner hands it its inputs and
 * stores what it returns, so each stage can be tested alone on tiny inputs.
 *
 * @module
 */
import type { DType, Tensor } from "./tensor.ts";
import { isTensor } from "./tensor.ts";

/** A value that JSON can carry unchanged. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * What a stage may return under each output name: a tensor (stored in the
 * tensor file format), raw bytes (a PNG, model weights) or a JSON value.
 */
export type StageValue = Tensor | Uint8Array | JsonValue;

/** A stage's outputs by name. */
export type StageOutputs = Record<string, StageValue>;

/**
 * The outputs of the stages a stage needs, by stage and output name, with
 * accessors that check the kind and fail with a clear message.
 */
export class StageInputs {
  constructor(readonly values: Record<string, Record<string, StageValue>>) {}

  /** The raw value of `stage`'s output `name`. */
  get(stage: string, name: string): StageValue {
    const outputs = this.values[stage];
    if (outputs === undefined) {
      throw new Error(`Input stage '${stage}' is not among this stage's needs`);
    }
    const value = outputs[name];
    if (value === undefined) {
      throw new Error(
        `Stage '${stage}' has no output '${name}' (it has: ${Object.keys(outputs).join(", ")})`,
      );
    }
    return value;
  }

  /** `stage`'s output `name` as a tensor of `dtype`. */
  tensor<D extends DType>(stage: string, name: string, dtype: D): Tensor<D> {
    const value = this.get(stage, name);
    if (!isTensor(value) || value.dtype !== dtype) {
      throw new TypeError(`Output '${stage}.${name}' is not a ${dtype} tensor`);
    }
    return value as Tensor<D>;
  }

  /** `stage`'s output `name` as bytes. */
  bytes(stage: string, name: string): Uint8Array {
    const value = this.get(stage, name);
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(`Output '${stage}.${name}' is not bytes`);
    }
    return value;
  }

  /** `stage`'s output `name` as a JSON value (the caller knows its shape). */
  json<T = JsonValue>(stage: string, name: string): T {
    const value = this.get(stage, name);
    if (value instanceof Uint8Array || isTensor(value)) {
      throw new TypeError(`Output '${stage}.${name}' is not JSON`);
    }
    return value as T;
  }

  /** True when `stage` produced an output called `name`. */
  has(stage: string, name: string): boolean {
    return this.values[stage]?.[name] !== undefined;
  }
}

/** What the runner hands a stage besides its inputs. */
export interface StageContext<C> {
  /** The configuration sections the stage reads, defaults applied. */
  readonly config: C;
  /** A line of progress or information, to stderr. */
  log(message: string): void;
  /**
   * Keeps a small JSON fact in the stage record (loss per epoch, re-seeded
   * clusters): information about the run, not part of the cache key.
   */
  note(key: string, value: JsonValue): void;
  /**
   * A directory private to this stage and cache key that survives a crash:
   * checkpoints go here so a killed run can resume. Removed after success.
   */
  readonly scratchDir: string;
  /** True when stderr is a terminal (progress bars) rather than a log. */
  readonly interactive: boolean;
  /**
   * What {@link Stage.environment} resolved before the key was computed (the
   * backend that computes, say): the stage must compute with exactly this.
   */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * A pipeline stage: data plus one function. The runner gives `run` the
 * outputs of `needs` and the configuration sections in `reads`, and stores
 * what it returns; a stage never touches the store itself. `run` executes in
 * a worker of its own, so the stage object must be exported by the module at
 * `source`.
 */
export interface Stage<C = Record<string, unknown>> {
  /** Unique name; also the record folder under `artifacts/stages/`. */
  readonly name: string;
  /** The stages whose outputs this one reads. */
  readonly needs: readonly string[];
  /** The configuration sections (top-level keys) this stage reads. */
  readonly reads: readonly string[];
  /** `import.meta.url` of the module: its source and imports are in the key. */
  readonly source: string;
  /**
   * Dotted keys (`train.checkpointEvery`) of settings the stage reads that
   * cannot change its outputs: they are left out of its cache key. Only for
   * settings a test shows leave the outputs identical.
   */
  readonly unkeyed?: readonly string[];
  /** How many cores `run` keeps busy (its workers, say); 1 when absent. */
  cores?(config: C): number;
  /**
   * The files outside the store that `run` will read (a user's data), listed
   * the way `run` lists them (folders walked and links followed alike). Their
   * content is part of the cache key.
   */
  dataFiles?(config: C): Promise<readonly string[]>;
  /**
   * Facts about where the stage will compute that can change its numbers
   * (the backend `auto` resolves to, a thread count, the JavaScript engine's
   * version), resolved before the key is computed; part of the key, and
   * handed to `run` as {@link StageContext.environment}.
   */
  environment?(config: C): Promise<Record<string, string>>;
  /** Computes the outputs. Heavy libraries are imported inside, on demand. */
  run(inputs: StageInputs, context: StageContext<C>): Promise<StageOutputs>;
}
