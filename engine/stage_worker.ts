/**
 * Runs one stage in a worker of its own: the worker side (see
 * `stage_thread.ts`). It imports the stage's module, decodes the inputs from
 * their bytes, runs the stage, and sends its outputs back encoded, their
 * buffers transferred rather than copied.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { errorMessage } from "./error_message.ts";
import type { JsonValue, Stage, StageValue } from "./stage.ts";
import { StageInputs } from "./stage.ts";
import type { EncodedValue, StageJob, StageMessage } from "./stage_thread.ts";
import { decodeValue, encodeValue } from "./store/value_codec.ts";

self.onmessage = async (event: MessageEvent<StageJob>) => {
  const job = event.data;
  const post = (message: StageMessage, transfer: Transferable[] = []) =>
    self.postMessage(message, transfer);
  try {
    const stage = await findStage(job.source, job.stage);
    const values: Record<string, Record<string, StageValue>> = {};
    for (const [need, outputs] of Object.entries(job.inputs)) {
      values[need] = {};
      for (const [name, { kind, bytes }] of Object.entries(outputs)) {
        values[need][name] = decodeValue(kind, bytes);
      }
    }
    const notes: Record<string, JsonValue> = {};
    const outputs = await stage.run(new StageInputs(values), {
      config: job.config as never,
      log: (message) => post({ type: "log", message }),
      note: (key, value) => {
        notes[key] = value;
      },
      scratchDir: job.scratchDir,
      interactive: job.interactive,
      environment: job.environment,
    });
    const encoded: Record<string, EncodedValue> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, value] of Object.entries(outputs)) {
      const { kind, bytes } = encodeValue(value);
      // A view of a larger buffer, or one the stage still holds, is copied before transfer.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength &&
          !transfer.includes(bytes.buffer as ArrayBuffer)
        ? bytes
        : bytes.slice();
      encoded[name] = { kind, bytes: own };
      transfer.push(own.buffer as ArrayBuffer);
    }
    post({ type: "done", outputs: encoded, notes: JSON.parse(JSON.stringify(notes)) }, transfer);
  } catch (error) {
    post({
      type: "failed",
      name: error instanceof Error ? error.name : "Error",
      message: errorMessage(error),
      stack: error instanceof Error ? (error.stack ?? "") : "",
    });
  }
};

/** The stage object `source` exports under the name `name`. */
async function findStage(source: string, name: string): Promise<Stage<never>> {
  const module = await import(source) as Record<string, unknown>;
  for (const value of Object.values(module)) {
    const candidate = value as Partial<Stage<never>> | null;
    if (
      typeof candidate === "object" && candidate !== null && candidate.name === name &&
      typeof candidate.run === "function"
    ) {
      return candidate as Stage<never>;
    }
  }
  throw new Error(`Module ${source} exports no stage named '${name}'`);
}
