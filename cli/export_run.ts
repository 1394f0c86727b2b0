/**
 * `--export DIR`: a run's results as plain files a person or NumPy reads.
 *
 * @module
 */
import { join } from "node:path";
import { runFigureCaptions } from "../report/figures/run_figures.ts";
import { encodeNpy } from "../data/npy.ts";
import type { OutputRef, PipelineRun } from "../engine/runner.ts";
import { isTensor } from "../engine/tensor.ts";
import type { RunRecord } from "../engine/store/records.ts";

/** What an export holds besides the metrics and the report. */
export interface ExportPlan {
  /** `.npy` files: name → the stage output (a tensor) it holds. */
  readonly arrays: readonly (OutputRef & { readonly file: string })[];
  /** The stage whose outputs are the figures, written as `<name>.png`. */
  readonly figures: string;
}

/**
 * Writes a run's results: the arrays of `plan` as `.npy` files,
 * `metrics.json`, the figures as PNG files and `report.html`. Outputs of
 * stages that did not run are skipped.
 *
 * @returns the names of the files written
 */
export async function exportRun(
  run: PipelineRun,
  record: RunRecord,
  folder: string,
  reportHtml: string,
  plan: ExportPlan,
): Promise<string[]> {
  Deno.mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  const write = (name: string, bytes: Uint8Array) => {
    Deno.writeFileSync(join(folder, name), bytes);
    written.push(name);
  };
  for (const { file, stage, output } of plan.arrays) {
    if (run.records.get(stage)?.outputs[output] === undefined) continue;
    const value = await run.value(stage, output);
    if (!isTensor(value)) throw new Error(`${stage}.${output} is not a tensor`);
    write(file, encodeNpy(value));
  }
  write("metrics.json", new TextEncoder().encode(JSON.stringify(record.metrics, null, 2) + "\n"));
  for (const { name } of runFigureCaptions) {
    if (run.records.get(plan.figures)?.outputs[name] === undefined) continue;
    write(`${name}.png`, (await run.value(plan.figures, name)) as Uint8Array);
  }
  write("report.html", new TextEncoder().encode(reportHtml));
  return written;
}
