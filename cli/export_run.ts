import { join } from "node:path";
import { runFigureCaptions } from "../report/figures/run_figures.ts";
import { encodeNpy } from "../data/npy.ts";
import type { PipelineRun } from "../engine/runner.ts";
import { isTensor } from "../engine/tensor.ts";
import type { RunRecord } from "../engine/store/store.ts";

/** The `.npy` files of an export: file name → the stage output it holds. */
const arrays = [
  ["encoding.npy", "encode", "train"],
  ["labels.npy", "load", "trainLabels"],
  ["assignments.npy", "cluster", "trainAssignments"],
  ["centroids.npy", "cluster", "centroids"],
] as const;

/**
 * Writes a run's results as plain files a person or NumPy reads:
 * `encoding.npy` (float32 N×d), `labels.npy`, `assignments.npy` (int32 N),
 * `centroids.npy` (float32 k×d), `metrics.json`, the figures as PNG files
 * and `report.html`. Outputs of stages the pipeline does not have are
 * skipped.
 *
 * @returns the names of the files written
 */
export async function exportRun(
  run: PipelineRun,
  record: RunRecord,
  folder: string,
  reportHtml: string,
): Promise<string[]> {
  Deno.mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  const write = (name: string, bytes: Uint8Array) => {
    Deno.writeFileSync(join(folder, name), bytes);
    written.push(name);
  };
  for (const [file, stage, output] of arrays) {
    if (run.records.get(stage)?.outputs[output] === undefined) continue;
    const value = await run.value(stage, output);
    if (!isTensor(value)) throw new Error(`${stage}.${output} is not a tensor`);
    write(file, encodeNpy(value));
  }
  write("metrics.json", new TextEncoder().encode(JSON.stringify(record.metrics, null, 2) + "\n"));
  for (const { name } of runFigureCaptions) {
    if (run.records.get("render")?.outputs[name] === undefined) continue;
    write(`${name}.png`, (await run.value("render", name)) as Uint8Array);
  }
  write("report.html", new TextEncoder().encode(reportHtml));
  return written;
}
