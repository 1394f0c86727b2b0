/**
 * What every view of the scatter shares: the plot area and the layer a view
 * draws into it, the range of the data along an axis, the points (circles
 * coloured by label) and centroids (X markers), and the legend. Private to
 * `report/figures/`; the views are `_scatter_plane.ts` and
 * `_scatter_cube.ts`, put together by `scatter.ts`.
 *
 * @module
 */
import { px, svgText } from "./_svg.ts";
import { labelColour, labelName } from "./_colours.ts";

const POINT_OPACITY = 0.6;

/** A rectangle of the figure, in pixels. */
export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** What a view draws: its SVG elements and where each point and centroid landed. */
export interface PlotLayer {
  /** The view's elements (no document around them). */
  readonly svg: string;
  /** Pixel (x, y) of each drawn point, in input order. */
  readonly pointPositions: Float64Array;
  /** Pixel (x, y) of each centroid. */
  readonly centroidPositions: Float64Array;
}

/** Min and max of every `d`-th value starting at `offset`, over two arrays. */
export function bounds(
  d: number,
  offset: number,
  ...arrays: ArrayLike<number>[]
): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const values of arrays) {
    for (let i = offset; i < values.length; i += d) {
      const value = values[i]!;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [-1, 1];
  if (max - min < 1e-12) return [min - 0.5, max + 0.5];
  return [min, max];
}

/** The radius of a point: larger in a larger figure, never below 1.2 pixels. */
export function pointRadius(area: PlotArea): number {
  return Math.max(1.2, (area.bottom - area.top) / 450);
}

/**
 * One circle per point, coloured by its label, drawn in `order` (later
 * ones over earlier ones), half transparent so dense regions show.
 *
 * @param positions pixel (x, y) of each point
 * @param labels each point's label
 * @param order the indices of the points, first drawn first
 * @param radius the circles' radius
 * @returns a `<g>` element
 */
export function circles(
  positions: Float64Array,
  labels: Int32Array,
  order: ArrayLike<number>,
  radius: number,
): string {
  const parts: string[] = [`<g fill-opacity="${POINT_OPACITY}">`];
  const r = px(radius);
  for (let o = 0; o < order.length; o++) {
    const i = order[o]!;
    parts.push(
      `<circle cx="${px(positions[2 * i]!)}" cy="${px(positions[2 * i + 1]!)}" r="${r}" fill="${
        labelColour(labels[i]!)
      }"/>`,
    );
  }
  parts.push("</g>");
  return parts.join("");
}

/** Black X markers with a white halo, so they stay visible over dense points. */
export function centroidMarkers(positions: Float64Array, halfSize: number): string {
  const path: string[] = [];
  for (let c = 0; c < positions.length / 2; c++) {
    const x = positions[2 * c]!;
    const y = positions[2 * c + 1]!;
    path.push(
      `M${px(x - halfSize)} ${px(y - halfSize)}L${px(x + halfSize)} ${px(y + halfSize)}` +
        `M${px(x - halfSize)} ${px(y + halfSize)}L${px(x + halfSize)} ${px(y - halfSize)}`,
    );
  }
  const d = path.join("");
  return `<path d="${d}" stroke="#ffffff" stroke-width="6" stroke-linecap="round" fill="none"/>` +
    `<path d="${d}" stroke="#000000" stroke-width="3" stroke-linecap="round" fill="none"/>`;
}

/**
 * The legend: a swatch and name for each label present, then the centroid marker.
 *
 * @param labels the drawn points' labels
 * @param names the data set's label names; numbers otherwise
 * @param x left edge
 * @param y top
 * @returns the legend's elements
 */
export function legend(
  labels: Int32Array,
  names: readonly string[] | undefined,
  x: number,
  y: number,
): string {
  const present = [...new Set(labels)].sort((a, b) => a - b);
  const parts = [svgText(x, y + 4, "true label", { size: 13, weight: "bold" })];
  let row = y + 26;
  for (const label of present) {
    parts.push(
      `<rect x="${x}" y="${row - 11}" width="14" height="14" fill="${labelColour(label)}"/>`,
    );
    parts.push(svgText(x + 22, row, labelName(label, names), { size: 13 }));
    row += 22;
  }
  row += 8;
  parts.push(centroidMarkers(new Float64Array([x + 7, row - 4]), 6));
  parts.push(svgText(x + 22, row, "centroid", { size: 13 }));
  return parts.join("");
}
