import type { SvgFigure } from "./svg_figure.ts";
import { formatCount, px, svgDocument, svgText } from "./_svg.ts";
import { labelColour, labelName } from "./_colours.ts";
import { formatTick, niceTicks } from "./_ticks.ts";
import { along, viewBasis } from "./_projection.ts";
import { applyPca, fitPca } from "./_pca.ts";

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
const POINT_OPACITY = 0.6;

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
      const totalVariance = varianceSum(encoding, plotted, encodedDim);
      const explained = totalVariance > 0
        ? (pca.variances[0]! + pca.variances[1]! + pca.variances[2]!) / totalVariance
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

interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

interface PlotLayer {
  readonly svg: string;
  readonly pointPositions: Float64Array;
  readonly centroidPositions: Float64Array;
}

function varianceSum(rows: Float32Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = 0; i < n; i++) {
      const value = rows[i * d + j]!;
      sum += value;
      sumOfSquares += value * value;
    }
    total += n > 1 ? (sumOfSquares - (sum * sum) / n) / (n - 1) : 0;
  }
  return total;
}

/** Min and max of every `d`-th value starting at `offset`, over two arrays. */
function bounds(d: number, offset: number, ...arrays: ArrayLike<number>[]): [number, number] {
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

/** A range widened by 4% on each side, so no point sits on the frame. */
function padded([min, max]: [number, number]): [number, number] {
  const margin = (max - min) * 0.04;
  return [min - margin, max + margin];
}

/** Round tick values inside a range. */
function ticksWithin([min, max]: [number, number]): number[] {
  return niceTicks(min, max).filter((tick) => tick >= min && tick <= max);
}

function pointRadius(area: PlotArea): number {
  return Math.max(1.2, (area.bottom - area.top) / 450);
}

function circles(
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
function centroidMarkers(positions: Float64Array, halfSize: number): string {
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

function legend(
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

/** An ordinary 2-D scatter with ticked axes and a light grid. */
function planeLayer(
  points: Float32Array,
  labels: Int32Array,
  centroids: Float32Array,
  area: PlotArea,
): PlotLayer {
  const frame = {
    left: area.left + 70,
    top: area.top + 10,
    right: area.right - 20,
    bottom: area.bottom - 70,
  };
  const xRange = padded(bounds(2, 0, points, centroids));
  const yRange = padded(bounds(2, 1, points, centroids));
  return axesLayer(
    points,
    labels,
    centroids,
    frame,
    xRange,
    yRange,
    ticksWithin(xRange),
    ticksWithin(yRange),
    [
      "z1",
      "z2",
    ],
    null,
  );
}

/** 1-d encodings: value across, label up with a deterministic jitter. */
function stripLayer(
  values: Float32Array,
  labels: Int32Array,
  centroids: Float32Array,
  area: PlotArea,
): PlotLayer {
  const points = new Float32Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    points[2 * i] = values[i]!;
    // A fixed hash of the index spreads points of one label over ±0.3 without randomness.
    const jitter = ((Math.imul(i + 1, 2654435761) >>> 0) / 4294967296 - 0.5) * 0.6;
    points[2 * i + 1] = labels[i]! + jitter;
  }
  const centroidRow = labels.length > 0 ? Math.min(...labels) - 1 : -1;
  const centroidPoints = new Float32Array(centroids.length * 2);
  for (let c = 0; c < centroids.length; c++) {
    centroidPoints[2 * c] = centroids[c]!;
    centroidPoints[2 * c + 1] = centroidRow;
  }
  const frame = {
    left: area.left + 70,
    top: area.top + 10,
    right: area.right - 20,
    bottom: area.bottom - 70,
  };
  const xRange = padded(bounds(2, 0, points, centroidPoints));
  const maxLabel = labels.length > 0 ? Math.max(...labels) : 0;
  const yTicks: number[] = [];
  for (let label = centroidRow; label <= maxLabel; label++) yTicks.push(label);
  const yRange: [number, number] = [centroidRow - 0.5, maxLabel + 0.5];
  return axesLayer(
    points,
    labels,
    centroidPoints,
    frame,
    xRange,
    yRange,
    ticksWithin(xRange),
    yTicks,
    [
      "z1",
      "true label",
    ],
    centroidRow,
  );
}

function axesLayer(
  points: Float32Array,
  labels: Int32Array,
  centroids: Float32Array,
  frame: PlotArea,
  [xMin, xMax]: [number, number],
  [yMin, yMax]: [number, number],
  xTicks: number[],
  yTicks: number[],
  axisNames: [string, string],
  centroidRow: number | null,
): PlotLayer {
  const toX = (value: number) =>
    frame.left + ((value - xMin) / (xMax - xMin || 1)) * (frame.right - frame.left);
  const toY = (value: number) =>
    frame.bottom - ((value - yMin) / (yMax - yMin || 1)) * (frame.bottom - frame.top);
  const parts: string[] = [];
  for (const tick of xTicks) {
    const x = toX(tick);
    parts.push(
      `<line x1="${px(x)}" y1="${frame.top}" x2="${px(x)}" y2="${frame.bottom}" stroke="#e4e4e4"/>`,
    );
    parts.push(svgText(x, frame.bottom + 18, formatTick(tick), { size: 12, anchor: "middle" }));
  }
  for (const tick of yTicks) {
    const y = toY(tick);
    parts.push(
      `<line x1="${frame.left}" y1="${px(y)}" x2="${frame.right}" y2="${px(y)}" stroke="#e4e4e4"/>`,
    );
    const text = tick === centroidRow ? "centroids" : formatTick(tick);
    parts.push(svgText(frame.left - 8, y, text, { size: 12, anchor: "end", baseline: "middle" }));
  }
  parts.push(
    `<rect x="${frame.left}" y="${frame.top}" width="${frame.right - frame.left}" ` +
      `height="${frame.bottom - frame.top}" fill="none" stroke="#888"/>`,
  );
  parts.push(
    svgText((frame.left + frame.right) / 2, frame.bottom + 42, axisNames[0], {
      size: 13,
      anchor: "middle",
    }),
  );
  parts.push(
    svgText(frame.left - 48, (frame.top + frame.bottom) / 2, axisNames[1], {
      size: 13,
      anchor: "middle",
      rotate: -90,
    }),
  );
  const count = points.length / 2;
  const pointPositions = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    pointPositions[2 * i] = toX(points[2 * i]!);
    pointPositions[2 * i + 1] = toY(points[2 * i + 1]!);
  }
  const centroidPositions = new Float64Array(centroids.length);
  for (let c = 0; c < centroids.length / 2; c++) {
    centroidPositions[2 * c] = toX(centroids[2 * c]!);
    centroidPositions[2 * c + 1] = toY(centroids[2 * c + 1]!);
  }
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  parts.push(circles(pointPositions, labels, order, pointRadius(frame)));
  parts.push(centroidMarkers(centroidPositions, 8));
  return { svg: parts.join(""), pointPositions, centroidPositions };
}

/**
 * The 3-D view: each axis is scaled to [-1, 1] over the drawn points and
 * centroids, the cube is seen by an orthographic camera, its three far faces
 * are drawn as panes with grid lines, and each axis is ticked along the cube
 * edge that lies outermost on screen.
 */
function cubeLayer(
  points: Float64Array,
  labels: Int32Array,
  centroids: Float64Array,
  area: PlotArea,
  angles: { readonly elevation: number; readonly azimuth: number },
  axisNames: [string, string, string],
): PlotLayer {
  const basis = viewBasis(angles.elevation, angles.azimuth);
  const axisBounds = [0, 1, 2].map((a) => bounds(3, a, points, centroids));
  const axisTicks = axisBounds.map(([min, max]) =>
    niceTicks(min, max, 4).filter((t) => t >= min && t <= max)
  );
  const toUnit = (a: number, value: number) => {
    const [min, max] = axisBounds[a]!;
    return ((value - min) / (max - min)) * 2 - 1;
  };

  // Fit the projected cube into the plot area, leaving room for tick labels.
  const margin = 78;
  const cx = (area.left + area.right) / 2;
  const cy = (area.top + area.bottom) / 2;
  let halfWidth = 0;
  let halfHeight = 0;
  for (let corner = 0; corner < 8; corner++) {
    const [x, y, z] = cornerOf(corner);
    halfWidth = Math.max(halfWidth, Math.abs(along(basis.right, x, y, z)));
    halfHeight = Math.max(halfHeight, Math.abs(along(basis.up, x, y, z)));
  }
  const scale = Math.min(
    ((area.right - area.left) / 2 - margin) / halfWidth,
    ((area.bottom - area.top) / 2 - margin) / halfHeight,
  );
  const screen = (x: number, y: number, z: number): [number, number] => [
    cx + scale * along(basis.right, x, y, z),
    cy - scale * along(basis.up, x, y, z),
  ];

  const parts: string[] = [];
  // Far panes: faces whose outward normal points away from the viewer.
  for (let a = 0; a < 3; a++) {
    for (const side of [-1, 1]) {
      if (side * basis.toward[a]! >= 0) continue;
      const [b, c] = [(a + 1) % 3, (a + 2) % 3];
      const facePoint = (u: number, v: number): [number, number] => {
        const p: [number, number, number] = [0, 0, 0];
        p[a] = side;
        p[b] = u;
        p[c] = v;
        return screen(...p);
      };
      const outline = [facePoint(-1, -1), facePoint(1, -1), facePoint(1, 1), facePoint(-1, 1)];
      parts.push(
        `<polygon points="${outline.map(([x, y]) => `${px(x)},${px(y)}`).join(" ")}" ` +
          `fill="#f2f2f2" stroke="#b8b8b8"/>`,
      );
      const grid: string[] = [];
      for (const tick of axisTicks[b]!) {
        const u = toUnit(b, tick);
        const [x1, y1] = facePoint(u, -1);
        const [x2, y2] = facePoint(u, 1);
        grid.push(`M${px(x1)} ${px(y1)}L${px(x2)} ${px(y2)}`);
      }
      for (const tick of axisTicks[c]!) {
        const v = toUnit(c, tick);
        const [x1, y1] = facePoint(-1, v);
        const [x2, y2] = facePoint(1, v);
        grid.push(`M${px(x1)} ${px(y1)}L${px(x2)} ${px(y2)}`);
      }
      if (grid.length > 0) parts.push(`<path d="${grid.join("")}" stroke="#dddddd" fill="none"/>`);
    }
  }

  // Ticks and names along the outermost edge parallel to each axis.
  for (let a = 0; a < 3; a++) {
    const directionX = basis.right[a]!;
    const directionY = basis.up[a]!;
    const length = Math.hypot(directionX, directionY);
    // An axis pointing straight at the viewer has no edge to label.
    if (length < 0.05) continue;
    // Outward normal on screen (y up), turned to point down, or left when level.
    let normalX = -directionY / length;
    let normalY = directionX / length;
    if (normalY > 1e-9 || (Math.abs(normalY) <= 1e-9 && normalX > 0)) {
      normalX = -normalX;
      normalY = -normalY;
    }
    const [b, c] = [(a + 1) % 3, (a + 2) % 3];
    let best: [number, number] = [-1, -1];
    let bestReach = -Infinity;
    for (const sb of [-1, 1]) {
      for (const sc of [-1, 1]) {
        const p: [number, number, number] = [0, 0, 0];
        p[b] = sb;
        p[c] = sc;
        const reach = normalX * along(basis.right, ...p) + normalY * along(basis.up, ...p);
        if (reach > bestReach + 1e-9) {
          bestReach = reach;
          best = [sb, sc];
        }
      }
    }
    const edgePoint = (t: number): [number, number] => {
      const p: [number, number, number] = [0, 0, 0];
      p[a] = t;
      p[b] = best[0];
      p[c] = best[1];
      return screen(...p);
    };
    // Screen offsets along the outward normal (SVG y grows downwards).
    const offsetX = normalX;
    const offsetY = -normalY;
    const anchor = offsetX < -0.35 ? "end" : offsetX > 0.35 ? "start" : "middle";
    const [startX, startY] = edgePoint(-1);
    const [endX, endY] = edgePoint(1);
    parts.push(
      `<line x1="${px(startX)}" y1="${px(startY)}" x2="${px(endX)}" y2="${
        px(endY)
      }" stroke="#555"/>`,
    );
    for (const tick of axisTicks[a]!) {
      const [x, y] = edgePoint(toUnit(a, tick));
      parts.push(
        `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 6 * offsetX)}" y2="${
          px(y + 6 * offsetY)
        }" stroke="#555"/>`,
      );
      parts.push(
        svgText(x + 12 * offsetX, y + 12 * offsetY, formatTick(tick), {
          size: 11,
          anchor,
          baseline: "middle",
        }),
      );
    }
    // The name goes beyond the tick labels: their width counts where they stick out sideways.
    const tickWidth = Math.max(0, ...axisTicks[a]!.map((tick) => formatTick(tick).length)) * 6.5;
    const nameOffset = 28 + Math.abs(offsetX) * tickWidth + Math.abs(offsetY) * 14;
    const [midX, midY] = edgePoint(0);
    parts.push(
      svgText(midX + nameOffset * offsetX, midY + nameOffset * offsetY, axisNames[a]!, {
        size: 13,
        weight: "bold",
        anchor: "middle",
        baseline: "middle",
      }),
    );
  }

  const count = labels.length;
  const pointPositions = new Float64Array(count * 2);
  const depth = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const x = toUnit(0, points[3 * i]!);
    const y = toUnit(1, points[3 * i + 1]!);
    const z = toUnit(2, points[3 * i + 2]!);
    [pointPositions[2 * i], pointPositions[2 * i + 1]] = screen(x, y, z);
    depth[i] = along(basis.toward, x, y, z);
  }
  // Far points first, so nearer ones cover them; ties keep input order.
  const order = Array.from({ length: count }, (_, i) => i).sort((i, j) =>
    depth[i]! - depth[j]! || i - j
  );
  parts.push(circles(pointPositions, labels, order, pointRadius(area)));

  const k = centroids.length / 3;
  const centroidPositions = new Float64Array(k * 2);
  for (let c = 0; c < k; c++) {
    [centroidPositions[2 * c], centroidPositions[2 * c + 1]] = screen(
      toUnit(0, centroids[3 * c]!),
      toUnit(1, centroids[3 * c + 1]!),
      toUnit(2, centroids[3 * c + 2]!),
    );
  }
  parts.push(centroidMarkers(centroidPositions, 9));
  return { svg: parts.join(""), pointPositions, centroidPositions };
}

function cornerOf(index: number): [number, number, number] {
  return [index & 1 ? 1 : -1, index & 2 ? 1 : -1, index & 4 ? 1 : -1];
}
