/**
 * The figures, drawn as SVG documents: the scatter of an encoding
 * (`scatter.ts`, one view per encoding width), image grids
 * (`image_grid.ts`), the contingency heatmap (`heatmap.ts`), line charts
 * (`line_chart.ts`) and the cluster captions (`cluster_summary.ts`);
 * `run_figures.ts` draws all of a run's figures and rasterises them. The
 * private modules hold the SVG text helpers, colours, ticks, the 3-D camera,
 * PCA, the PNG encoder and the scatter's views.
 *
 * This is the folder's public face for readers and other programs. Stages
 * import `../report/figures/run_figures.ts` rather than this one: a stage's
 * cache key digests every module it imports.
 *
 * @module
 */
export type { SvgFigure } from "./svg_figure.ts";
export type { ScatterFigure, ScatterInput, ScatterView } from "./scatter.ts";
export { scatterFigure } from "./scatter.ts";
export type { ImageGridInput } from "./image_grid.ts";
export { imageGridFigure } from "./image_grid.ts";
export type { HeatmapInput } from "./heatmap.ts";
export { heatmapFigure } from "./heatmap.ts";
export type { LineChartInput, LineSeries } from "./line_chart.ts";
export { lineChartFigure } from "./line_chart.ts";
export type { ClusterSummary } from "./cluster_summary.ts";
export { clusterCaption, clusterSummaries } from "./cluster_summary.ts";
export type { FigureName, RunFigureData, RunFigureOptions, RunFigures } from "./run_figures.ts";
export { drawRunFigures, runFigureCaptions, sampleImagesByLabel } from "./run_figures.ts";
export type { ExplorerData, ExplorerInput } from "./explorer_data.ts";
export { explorerData } from "./explorer_data.ts";
