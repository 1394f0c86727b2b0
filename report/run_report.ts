/**
 * A run's report page from its record and the figures its drawing stage
 * made, and where reports are kept in the store.
 *
 * @module
 */
import { join } from "node:path";
import { runFigureCaptions } from "./figures/run_figures.ts";
import { reportHtml } from "./report_html.ts";
import type { PipelineRun } from "../engine/runner.ts";
import type { RunRecord } from "../engine/store/records.ts";

/**
 * The run's report page: metrics, configuration, what ran and why, and the
 * figures `figureStage` drew (those it drew; none when it did not run).
 *
 * @param run the finished run
 * @param record its run record
 * @param figureStage the stage whose outputs are the figures (PNG bytes)
 * @returns the page's HTML
 */
export async function runReportHtml(
  run: PipelineRun,
  record: RunRecord,
  figureStage: string,
): Promise<string> {
  const drawn = run.records.get(figureStage)?.outputs ?? {};
  const figures = [];
  for (const { name, caption } of runFigureCaptions) {
    if (drawn[name] === undefined) continue;
    figures.push({ name, caption, png: (await run.value(figureStage, name)) as Uint8Array });
  }
  return reportHtml({
    runId: record.id,
    metrics: record.metrics,
    config: record.config as never,
    stages: record.stages,
    figures,
  });
}

/**
 * Writes the run's report to `reports/<run id>.html` in the store and to
 * `report.html` beside it (the latest run's), and returns the first path.
 */
export function writeRunReport(storeRoot: string, runId: string, html: string): string {
  const folder = join(storeRoot, "reports");
  Deno.mkdirSync(folder, { recursive: true });
  const path = join(folder, `${runId}.html`);
  Deno.writeTextFileSync(path, html);
  Deno.writeTextFileSync(join(storeRoot, "report.html"), html);
  return path;
}
