/**
 * Which TensorFlow.js backend computes: native TensorFlow through
 * `@tensorflow/tfjs-node` where its native library loads, else WebAssembly
 * (`@tensorflow/tfjs-backend-wasm`, SIMD), else plain JavaScript (`cpu`).
 * Everything above this module asks for a backend by name and receives the
 * `tf` namespace to compute with; tfjs itself is only imported here, on
 * demand.
 *
 * @module
 */
import type { FieldSchema } from "../config/schema.ts";
import { ConfigError } from "../config/config_error.ts";
import type { Tfjs } from "./tfjs.ts";
import { registerFastMatMul } from "./_fast_matmul.ts";
import { errorMessage } from "../engine/error_message.ts";

export type { Tfjs } from "./tfjs.ts";

/** A backend that computes. */
export type BackendName = "tensorflow" | "wasm" | "cpu";

/** What a configuration may ask for: a backend, or `auto` for the fastest that loads. */
export type BackendChoice = "auto" | BackendName;

/** The backends in the order `auto` tries them. */
const BACKEND_NAMES: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

/** The top-level `backend` configuration field. */
export const backendField = {
  type: "enum",
  values: ["auto", "tensorflow", "wasm", "cpu"],
  default: "auto",
  doc: "TensorFlow.js backend for training and encoding: 'tensorflow' (native, needs " +
    "@tensorflow/tfjs-node's library), 'wasm' (WebAssembly with SIMD), 'cpu' (plain " +
    "JavaScript, slowest), or 'auto' for the first of these that loads. Results can differ " +
    "between backends in the last digits",
} as const satisfies FieldSchema;

/** A backend that is ready, with the namespace to compute with. */
export interface LoadedBackend {
  /** The tfjs namespace, with `name` as its active backend. */
  readonly tf: Tfjs;
  /** The backend in use. */
  readonly name: BackendName;
  /** Why this one: the backends `auto` skipped and their errors. Empty when asked for by name. */
  readonly reason: string;
}

/** Why each backend that failed to load did, so later calls fail fast and say the same. */
const failures = new Map<BackendName, string>();

/**
 * Loads TensorFlow.js and makes `choice` its active backend. `auto` tries
 * `tensorflow`, `wasm`, `cpu` in turn and logs one line naming the backend
 * chosen and why the faster ones were skipped. On `wasm`, the matrix product
 * for transposed operands is replaced with a faster one.
 *
 * @param choice a backend name, or `auto`
 * @param log where the line about `auto`'s choice goes (omit for silence)
 * @returns the namespace and the backend in use
 * @throws {ConfigError} when a backend asked for by name cannot load here
 * @example
 * ```ts
 * import { loadBackend } from "./backend.ts";
 *
 * const { tf, name } = await loadBackend("cpu");
 * if (name !== "cpu" || tf.getBackend() !== "cpu") throw new Error();
 * ```
 */
export function loadBackend(
  choice: BackendChoice,
  log?: (line: string) => void,
): Promise<LoadedBackend> {
  // One load at a time: two at once would race on tfjs's global backend and
  // could record a working backend as failed.
  const loaded = loading.then(() => load(choice, log));
  loading = loaded.then(() => {}, () => {});
  return loaded;
}

/** The load in progress, which the next one waits for. */
let loading: Promise<void> = Promise.resolve();

async function load(
  choice: BackendChoice,
  log?: (line: string) => void,
): Promise<LoadedBackend> {
  const tf = await import("@tensorflow/tfjs");
  if (choice !== "auto") {
    const error = await activate(tf, choice);
    if (error !== undefined) {
      throw new ConfigError(
        `'backend' is '${choice}', but that backend cannot be used here: ${error}. ` +
          `Use backend=auto to take the fastest backend that loads`,
      );
    }
    return { tf, name: choice, reason: "" };
  }
  const skipped: string[] = [];
  for (const name of BACKEND_NAMES) {
    const error = await activate(tf, name);
    if (error === undefined) {
      const reason = skipped.join("; ");
      log?.(`backend: ${name}${reason === "" ? "" : ` (${reason})`}`);
      return { tf, name, reason };
    }
    skipped.push(`${name === "tensorflow" ? "tfjs-node" : name} did not load: ${error}`);
  }
  throw new Error(`No TensorFlow.js backend loaded: ${skipped.join("; ")}`);
}

/**
 * Makes `name` tfjs's active backend.
 *
 * @returns undefined on success, else why it failed (one line)
 */
async function activate(tf: Tfjs, name: BackendName): Promise<string | undefined> {
  const known = failures.get(name);
  if (known !== undefined) return known;
  let error: string | undefined;
  try {
    switch (name) {
      case "tensorflow":
        await import("@tensorflow/tfjs-node");
        break;
      case "wasm":
        await import("@tensorflow/tfjs-backend-wasm");
        break;
      case "cpu":
        break; // part of @tensorflow/tfjs
      default: {
        const unknown: never = name;
        throw new Error(`Unknown backend ${unknown}`);
      }
    }
    // The first tensor is made while quiet too: the cpu backend greets Node.js users then.
    const started = await quietly(async () =>
      (await tf.setBackend(name)) && tf.scalar(0).dispose() === undefined
    );
    if (!started) error = "it failed to initialise";
  } catch (caught) {
    error = firstLine(caught);
  }
  if (error !== undefined) {
    failures.set(name, error);
    return error;
  }
  await tf.ready();
  if (name === "wasm") registerFastMatMul(tf);
  return undefined;
}

/**
 * Runs `action` with `console.warn` silenced: tfjs prints a stack trace
 * there when a backend fails to initialise, and the caller reports the
 * failure itself.
 */
async function quietly<T>(action: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await action();
  } finally {
    console.warn = warn;
  }
}

/** The first line of an error's message, shortened to fit a log line. */
function firstLine(error: unknown): string {
  const message = errorMessage(error);
  const line = message.split("\n", 1)[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
