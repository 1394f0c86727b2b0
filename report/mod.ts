/**
 * What a person looks at after a run: the run's report page
 * (`report_html.ts`, one self-contained HTML file, and `run_report.ts`,
 * which fills it from a run and stores it), the figures of a sweep
 * (`sweep_figures.ts`), and turning SVG into PNG (`rasterise.ts`). The
 * figures themselves are drawn in `report/figures/`, re-exported here.
 *
 * This is the folder's public face for readers and other programs. Stages
 * import the module they need (`../report/figures/run_figures.ts`) rather
 * than this one: a stage's cache key digests every module it imports.
 *
 * @module
 */
export { rasterise } from "./rasterise.ts";
export type { ReportFigure, ReportInput, ReportProvenance, ReportStage } from "./report_html.ts";
export { reportHtml } from "./report_html.ts";
export type { ReportSources } from "./run_report.ts";
export {
  pruneReports,
  runReportHtml,
  stageProvenance,
  writeRunReport,
  writeRunsIndex,
} from "./run_report.ts";
export type { ExplorerSection } from "./explorer_html.ts";
export { explorerClient, explorerSection, plotlyBundle } from "./explorer_html.ts";
export { differingSettings, runsIndexHtml } from "./runs_index.ts";
export * from "./group_report.ts";
export type { SweepPointMetrics } from "./sweep_figures.ts";
export { sweepFigures } from "./sweep_figures.ts";
export * from "./figures/mod.ts";
