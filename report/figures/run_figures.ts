/**
 * A run's figures: the scatter of the encoding, the decoded centroids, the
 * baseline's centroids, the contingency heatmap, the reconstructions and
 * the loss curve, drawn from the run's outputs and rasterised to PNG, with
 * the caption of each. The `render` stage calls it; the report and
 * `--export` show the figures under these captions.
 *
 * @module
 */
import type { JsonValue } from "../../engine/stage.ts";
import { rasterise } from "../rasterise.ts";
import { scatterFigure } from "./scatter.ts";
import type { ScatterView } from "./scatter.ts";
import { imageGridFigure } from "./image_grid.ts";
import { heatmapFigure } from "./heatmap.ts";
import { lineChartFigure } from "./line_chart.ts";
import type { LineSeries } from "./line_chart.ts";
import { clusterCaption, clusterSummaries } from "./cluster_summary.ts";
import { labelName } from "./_colours.ts";

/** The names of a run's figures (and of the `render` stage's outputs). */
export type FigureName =
  | "scatter"
  | "centroids"
  | "baselineCentroids"
  | "contingency"
  | "reconstructions"
  | "loss";

/**
 * The figures in reading order with a caption each: what the report shows
 * under each image, and the file names (`<name>.png`) an export writes.
 */
export const runFigureCaptions: readonly { readonly name: FigureName; readonly caption: string }[] =
  [
    {
      name: "scatter",
      caption:
        "The training images' encoding, coloured by true label; the black X markers are the " +
        "k-means centroids.",
    },
    {
      name: "centroids",
      caption: "The centroids decoded into images, each with its cluster's most common label, " +
        "size and purity (training set).",
    },
    {
      name: "baselineCentroids",
      caption: "The baseline: centroids of k-means on raw pixels, with the same captions.",
    },
    {
      name: "contingency",
      caption:
        "Training images by cluster (rows) and true label (columns); a cell's shade is its " +
        "share of the cluster.",
    },
    {
      name: "reconstructions",
      caption: "The first training images of each label next to the autoencoder's reconstruction " +
        "of them.",
    },
    { name: "loss", caption: "Training loss per epoch." },
  ];

/** Everything the figures of a run are drawn from. */
export interface RunFigureData {
  /** True label of each training image (-1: unknown). */
  readonly labels: Int32Array;
  /** The data set's label names (`labelNames[label]`: "7", "cat"); numbers otherwise. */
  readonly labelNames?: readonly string[];
  /** The training images' encoding, `labels.length × encodedDim`. */
  readonly encoding: Float32Array;
  /** Values per encoded image. */
  readonly encodedDim: number;
  /** k-means centroids in the encoding, `k × encodedDim`. */
  readonly centroids: Float32Array;
  /** The centroids run through the decoder, `k × side²`, intensities. */
  readonly decodedCentroids: Float32Array;
  /** The baseline's centroids, `k' × side²`, as pixel intensities. */
  readonly baselineCentroids: Float32Array;
  /** Width and height of an image (28). */
  readonly imageSide: number;
  /** `evaluate`'s contingency tables: rows clusters, columns labels. */
  readonly contingency: { readonly train: number[][]; readonly baseline: number[][] };
  /** `evaluate`'s metrics: purities appear in titles when present. */
  readonly metrics: JsonValue;
  /** `train.history`: the loss per epoch, as `number[]` or `{ loss: number[], … }`. */
  readonly history: JsonValue;
  /** Originals and reconstructions, see {@link sampleImagesByLabel}. */
  readonly samples: {
    /** The labels shown, one column each. */
    readonly labels: readonly number[];
    /** Images per label. */
    readonly perLabel: number;
    /** `perLabel × labels.length × side²`, slot by slot, as pixel intensities. */
    readonly originals: Float32Array;
    /** The same images reconstructed by the autoencoder. */
    readonly reconstructions: Float32Array;
  };
}

/** How the figures are drawn: the `render` section's layout fields. */
export interface RunFigureOptions {
  /** Most points the scatter draws (the first ones). */
  readonly maxPoints: number;
  /** The 3-D scatter's degrees above the plane of the first two axes. */
  readonly elevation: number;
  /** The 3-D scatter's degrees around the third axis, from the first. */
  readonly azimuth: number;
  /** Height of the scatter in pixels (and width of the loss chart). */
  readonly size: number;
  /** Screen pixels per image pixel in the image grids. */
  readonly imageScale: number;
}

/** The PNG of every figure, and what the scatter drew. */
export interface RunFigures {
  /** The PNG file's bytes of each figure. */
  readonly pngs: Record<FigureName, Uint8Array>;
  /** The view the scatter was drawn in. */
  readonly scatterView: ScatterView;
  /** Points the scatter drew. */
  readonly scatterPoints: number;
}

/**
 * Draws and rasterises every figure of a run. Pure apart from the
 * rasterisation: equal data and options give byte-identical PNGs.
 *
 * @param data the run's outputs the figures show
 * @param options the layout
 * @returns one PNG per {@link FigureName}
 * @throws {RangeError} when the arrays' sizes do not fit together
 */
export async function drawRunFigures(
  data: RunFigureData,
  options: RunFigureOptions,
): Promise<RunFigures> {
  const scatter = scatterFigure({
    encoding: data.encoding,
    encodedDim: data.encodedDim,
    labels: data.labels,
    centroids: data.centroids,
    maxPoints: options.maxPoints,
    elevation: options.elevation,
    azimuth: options.azimuth,
    size: options.size,
    labelNames: data.labelNames,
  });
  const side = data.imageSide;
  const pixels = side * side;
  const centroids = imageGridFigure({
    images: data.decodedCentroids,
    side,
    columns: gridColumns(data.decodedCentroids.length / pixels),
    scale: options.imageScale,
    title: `Centroids decoded into images${purityNote(data.metrics, null)}`,
    captions: clusterSummaries(data.contingency.train).map((c) =>
      clusterCaption(c, data.labelNames)
    ),
  });
  const baselineCentroids = imageGridFigure({
    images: data.baselineCentroids,
    side,
    columns: gridColumns(data.baselineCentroids.length / pixels),
    scale: options.imageScale,
    title: `Baseline: k-means centroids in pixel space${purityNote(data.metrics, "baseline")}`,
    captions: clusterSummaries(data.contingency.baseline).map((c) =>
      clusterCaption(c, data.labelNames)
    ),
  });

  // Rows by majority label, so that a good clustering reads as a diagonal.
  const order = clusterSummaries(data.contingency.train).sort((a, b) =>
    (a.majorityLabel ?? Infinity) - (b.majorityLabel ?? Infinity) || a.cluster - b.cluster
  );
  const labelCount = Math.max(0, ...data.contingency.train.map((row) => row.length));
  const contingency = heatmapFigure({
    counts: order.map(({ cluster }) => data.contingency.train[cluster]!),
    rowLabels: order.map(({ cluster }) => String(cluster)),
    columnLabels: Array.from(
      { length: labelCount },
      (_, label) => labelName(label, data.labelNames),
    ),
    rowTitle: "cluster",
    columnTitle: "true label",
    title: "Contingency table, training set (rows by majority label)",
  });

  const { samples } = data;
  const reconstructions = imageGridFigure({
    images: pairRows(samples.originals, samples.reconstructions, samples.labels.length * pixels),
    side,
    columns: samples.labels.length,
    rowGroup: 2,
    scale: options.imageScale,
    title: "Training images (original) and the autoencoder's reconstruction (decoded)",
    columnHeaders: samples.labels.map((label) =>
      label < 0 ? "unlabelled" : `label ${labelName(label, data.labelNames)}`
    ),
    rowLabels: Array.from(
      { length: 2 * samples.perLabel },
      (_, row) => (row % 2 === 0 ? "original" : "decoded"),
    ),
  });

  const loss = lineChartFigure({
    series: lossSeries(data.history),
    title: "Training loss per epoch",
    xLabel: "epoch",
    yLabel: "loss",
    width: options.size,
    height: Math.round(options.size / 2),
  });

  const svgs: Record<FigureName, string> = {
    scatter: scatter.svg,
    centroids: centroids.svg,
    baselineCentroids: baselineCentroids.svg,
    contingency: contingency.svg,
    reconstructions: reconstructions.svg,
    loss: loss.svg,
  };
  // sharp rasterises on its own threads: the figures are drawn side by side.
  const pngs = await Promise.all(runFigureCaptions.map(({ name }) => rasterise(svgs[name])));
  return {
    pngs: Object.fromEntries(runFigureCaptions.map(({ name }, i) => [name, pngs[i]!])) as Record<
      FigureName,
      Uint8Array
    >,
    scatterView: scatter.view,
    scatterPoints: scatter.plotted,
  };
}

/**
 * Picks the first `perLabel` images of each label, slot by slot: the first
 * image of every label (labels in increasing order), then the second, and so
 * on. A label with fewer images repeats its last one, keeping the grid whole.
 *
 * @param labels the label of each image
 * @param perLabel images wanted per label
 * @returns the labels present and the chosen row indices, slot-major
 */
export function sampleImagesByLabel(
  labels: Int32Array,
  perLabel: number,
): { labels: number[]; indices: number[] } {
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    const rows = byLabel.get(label) ?? [];
    if (rows.length < perLabel) rows.push(i);
    byLabel.set(label, rows);
  }
  const present = [...byLabel.keys()].sort((a, b) => a - b);
  const indices: number[] = [];
  for (let slot = 0; slot < perLabel; slot++) {
    for (const label of present) {
      const rows = byLabel.get(label)!;
      indices.push(rows[Math.min(slot, rows.length - 1)]!);
    }
  }
  return { labels: present, indices };
}

/** Columns for k images: one row up to 5, two rows up to 12, then about 2:3. */
function gridColumns(count: number): number {
  if (count <= 5) return Math.max(1, count);
  if (count <= 12) return Math.ceil(count / 2);
  return Math.ceil(Math.sqrt(count * 1.5));
}

/** Grid rows alternating a row of originals and the same images reconstructed. */
function pairRows(
  originals: Float32Array,
  reconstructions: Float32Array,
  rowLength: number,
): Float32Array {
  const out = new Float32Array(2 * originals.length);
  for (let from = 0; from < originals.length; from += rowLength) {
    out.set(originals.subarray(from, from + rowLength), 2 * from);
    out.set(reconstructions.subarray(from, from + rowLength), 2 * from + rowLength);
  }
  return out;
}

/**
 * The loss per epoch: `history` itself when it is an array of numbers, else
 * its `loss` (drawn first) and any other arrays of numbers it holds.
 */
function lossSeries(history: JsonValue): LineSeries[] {
  const numbers = (value: JsonValue | undefined): number[] | null =>
    Array.isArray(value) && value.every((item) => typeof item === "number")
      ? (value as number[])
      : null;
  const direct = numbers(history);
  if (direct) return [{ name: "loss", values: direct }];
  if (typeof history !== "object" || history === null || Array.isArray(history)) return [];
  const names = Object.keys(history).sort((
    a,
    b,
  ) => (a === "loss" ? -1 : b === "loss" ? 1 : a < b ? -1 : 1));
  const series: LineSeries[] = [];
  for (const name of names) {
    const values = numbers(history[name]);
    if (values && values.length > 0) series.push({ name, values });
  }
  return series;
}

/** ` (purity 0.699)` from the metrics (training set, or the nested `baseline`), or nothing. */
function purityNote(metrics: JsonValue, set: "baseline" | null): string {
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) return "";
  const scores = set === null ? metrics : metrics[set];
  if (typeof scores !== "object" || scores === null || Array.isArray(scores)) return "";
  return typeof scores.purity === "number" ? ` (purity ${scores.purity.toFixed(3)})` : "";
}
