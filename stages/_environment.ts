/**
 * What the stages declare about where they compute, for their cache keys
 * (`Stage.environment`): the facts that can change their numbers.
 *
 * - A TensorFlow.js stage: the backend that actually computes (`auto`
 *   resolved); on `tensorflow`, the thread count, since TensorFlow splits
 *   sums across threads; on `cpu`, the JavaScript engine's version, whose
 *   `Math.exp` and friends the plain-JavaScript kernels use. (`wasm` computes
 *   in WebAssembly, whose arithmetic does not depend on the engine.)
 * - A stage whose own JavaScript uses `Math.exp`, `Math.log`, `Math.pow`,
 *   `Math.sin` (UMAP, the mixture, the metrics, the figures): the engine's
 *   version, since those are not required to be correctly rounded and an
 *   engine may change them.
 *
 * @module
 */
import type { BackendChoice } from "../nn/backend.ts";
import { loadBackend } from "../nn/backend.ts";

/** Whether this process has said which backend `auto` chose. */
let announced = false;

/**
 * The environment of a stage that computes with TensorFlow.js.
 *
 * @param choice the configured backend (`auto` is resolved here, silently)
 * @throws {ConfigError} when a backend asked for by name cannot load
 */
export async function tensorflowEnvironment(
  choice: BackendChoice,
): Promise<Record<string, string>> {
  const { name, reason } = await loadBackend(choice);
  if (choice === "auto" && !announced) {
    // One line per process about what `auto` chose; the why only when asked.
    announced = true;
    const verbose = Deno.env.get("ENCLUSTER_VERBOSE") === "1";
    const why = reason === ""
      ? ""
      : verbose
      ? ` (${reason})`
      : ` (faster backends did not load; --verbose says why)`;
    console.error(`backend: ${name}${why}`);
  }
  switch (name) {
    case "tensorflow":
      return { backend: name, threads: String(navigator.hardwareConcurrency) };
    case "cpu":
      return { backend: name, v8: Deno.version.v8 };
    case "wasm":
      return { backend: name };
  }
}

/** The environment of a stage whose own JavaScript uses floating-point functions. */
export function javascriptEnvironment(): Promise<Record<string, string>> {
  return Promise.resolve({ v8: Deno.version.v8 });
}

/**
 * The backend a TensorFlow.js stage computes with: the one its key names,
 * or the configured one when it runs outside the runner (a test).
 */
export function backendToUse(
  environment: Readonly<Record<string, string>>,
  configured: BackendChoice,
): BackendChoice {
  return (environment.backend as BackendChoice | undefined) ?? configured;
}
