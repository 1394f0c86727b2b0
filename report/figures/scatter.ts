/**
 * The scatter figure of an encoding, coloured by true label with the
 * centroids marked: the view is chosen by the encoding's width (value
 * against label for 1-d, a plane for 2-d, a 3-D cube for 3-d, and the first
 * three principal components in 3-D beyond that). This module checks the
 * input, picks the view and adds the title, note and legend; the views are
 * drawn by `_scatter_plane.ts` (strip, plane) and `_scatter_cube.ts` (3-D),
 * on what `_scatter_marks.ts` shares.
 *
 * @module
 */
import type { SvgFigure } from "./svg_figure.ts";
import { formatCount, svgDocument, svgText } from "./_svg.ts";
import { applyPca, fitPca, totalVariance } from "./_pca.ts";
import type { PlotLayer } from "./_scatter_marks.ts";
import { legend } from "./_scatter_marks.ts";
import { planeLayer, stripLayer } from "./_scatter_plane.ts";
import { cubeLayer } from "./_scatter_cube.ts";

/** What {@link scatterFigure} draws. */
export interface ScatterInput {
  /** The encoding, row-major: `labels.length × encodedDim`. */
  readonly encoding: Float32Array;
  /** Number of values per encoded image. */
  readonly encodedDim: number;
  /** The true label of each encoded image; it picks the point's colour. */
  readonly labels: Int32Array;
  /** The cluster centroids, row-major: `k × encodedDim`; drawn as black X markers. */
  readonly centroids: Float32Array;
  /** At most this many points are drawn: the first ones, as the seed did. */
  readonly maxPoints: number;
  /** 3-D views: degrees above the plane of the first two axes. */
  readonly elevation: number;
  /** 3-D views: degrees around the third axis, counted from the first. */
  readonly azimuth: number;
  /** Height of the figure in pixels; the legend adds a column to the width. */
  readonly size: number;
  /** Replaces the default title. */
  readonly title?: string;
  /** The name of each label for the legend (`labelNames[label]`); numbers otherwise. */
  readonly labelNames?: readonly string[];
}

/**
 * How the encoding is drawn: `strip` (1-d: value against label), `plane`
 * (2-d), `3d` (3-d, orthographic) or `pca` (more than 3-d: the first three
 * principal components of the drawn points, in 3-D).
 */
export type ScatterView = "strip" | "plane" | "3d" | "pca";

/** The drawn scatter, with where each point and centroid landed. */
export interface ScatterFigure extends SvgFigure {
  /** The view the encoding was drawn in. */
  readonly view: ScatterView;
  /** Number of points drawn: `min(maxPoints, n)`. */
  readonly plotted: number;
  /** Pixel (x, y) of each drawn point, in input order: `2 × plotted` values. */
  readonly pointPositions: Float64Array;
  /** Pixel (x, y) of each centroid: `2 × k` values. */
  readonly centroidPositions: Float64Array;
}

const LEGEND_WIDTH = 120;
const TITLE_HEIGHT = 44;

/**
 * Draws the encoding as a scatter plot coloured by true label, with the
 * centroids as black X markers and a legend of the labels: a plain scatter for
 * 2-d encodings, an orthographic 3-D view with drawn axes for 3-d ones, the
 * first three principal components in 3-D above that, and value against
 * label for 1-d ones. In 3-D, nearer points are drawn over farther ones.
 *
 * @param input the encoding, labels, centroids and view
 * @returns the SVG and the pixel position of every point and centroid
 * @throws {RangeError} when the arrays do not match `encodedDim` and the labels
 * @example
 * ```ts
 * import { scatterFigure } from "./scatter.ts";
 * const figure = scatterFigure({
 *   encoding: new Float32Array([0, 0, 1, 1]), encodedDim: 2,
 *   labels: new Int32Array([0, 1]), centroids: new Float32Array([0.5, 0.5]),
 *   maxPoints: 10_000, elevation: 30, azimuth: -60, size: 400,
 * });
 * if (!figure.svg.startsWith("<svg")) throw new Error();
 * ```
 */
export function scatterFigure(input: ScatterInput): ScatterFigure {
  const { encoding, encodedDim, labels, centroids } = input;
  const n = labels.length;
  if (!Number.isInteger(encodedDim) || encodedDim < 1) {
    throw new RangeError(
      `Cannot draw an encoding of dimension ${encodedDim}: it must be an integer ≥ 1`,
    );
  }
  if (encoding.length !== n * encodedDim) {
    throw new RangeError(
      `Cannot draw the encoding: ${n} labels × ${encodedDim} dimensions need ${
        n * encodedDim
      } values, got ${encoding.length}`,
    );
  }
  if (centroids.length % encodedDim !== 0) {
    throw new RangeError(
      `Cannot draw the centroids: ${centroids.length} values are not rows of ${encodedDim}`,
    );
  }
  const plotted = Math.max(0, Math.min(n, Math.floor(input.maxPoints)));
  const k = centroids.length / encodedDim;
  const size = input.size;
  const width = size + LEGEND_WIDTH;
  const plotArea = { left: 0, top: TITLE_HEIGHT, right: size, bottom: size };
  const plottedLabels = labels.subarray(0, plotted);

  const view = scatterView(encodedDim);
  let layer: PlotLayer;
  let note: string;
  switch (view) {
    case "strip":
      layer = stripLayer(encoding.subarray(0, plotted), plottedLabels, centroids, plotArea);
      note = "1-d encoding: value across, true label up (jittered)";
      break;
    case "plane":
      layer = planeLayer(encoding.subarray(0, plotted * 2), plottedLabels, centroids, plotArea);
      note = "";
      break;
    case "3d":
      layer = cubeLayer(
        Float64Array.from(encoding.subarray(0, plotted * 3)),
        plottedLabels,
        Float64Array.from(centroids),
        plotArea,
        input,
        ["z1", "z2", "z3"],
      );
      note = `elevation ${input.elevation}°, azimuth ${input.azimuth}°`;
      break;
    case "pca": {
      const pca = fitPca(encoding, plotted, encodedDim, 3);
      const total = totalVariance(encoding, plotted, encodedDim);
      const explained = total > 0
        ? (pca.variances[0]! + pca.variances[1]! + pca.variances[2]!) / total
        : 1;
      layer = cubeLayer(
        applyPca(pca, encoding, plotted),
        plottedLabels,
        applyPca(pca, centroids, k),
        plotArea,
        input,
        ["PC1", "PC2", "PC3"],
      );
      note = `PCA of the ${encodedDim}-d encoding: PC1–3 hold ${(100 * explained).toFixed(1)}% ` +
        `of its variance; elevation ${input.elevation}°, azimuth ${input.azimuth}°`;
      break;
    }
    default: {
      const unreachable: never = view;
      throw new Error(`Unknown scatter view ${unreachable}`);
    }
  }

  const title = input.title ??
    `Encoding${view === "pca" ? " (PCA)" : ""} coloured by true label: ` +
      `${plotted < n ? `first ${formatCount(plotted)} of ` : ""}${formatCount(n)} points, ` +
      `${k} centroids (X)`;
  const body = [
    // Shrink a long title to fit a small figure (bold DejaVu Sans: about 0.62 em per character).
    svgText(16, 28, title, {
      size: Math.min(16, Math.floor(((width - 32) / (title.length * 0.62)) * 10) / 10),
      weight: "bold",
    }),
    layer.svg,
    note ? svgText(12, size - 10, note, { size: 12, fill: "#555" }) : "",
    legend(plottedLabels, input.labelNames, size + 10, TITLE_HEIGHT + 10),
  ].join("");
  return {
    svg: svgDocument(width, size, body),
    width,
    height: size,
    view,
    plotted,
    pointPositions: layer.pointPositions,
    centroidPositions: layer.centroidPositions,
  };
}

/** The view an encoding of `encodedDim` values is drawn in. */
function scatterView(encodedDim: number): ScatterView {
  if (encodedDim === 1) return "strip";
  if (encodedDim === 2) return "plane";
  return encodedDim === 3 ? "3d" : "pca";
}
