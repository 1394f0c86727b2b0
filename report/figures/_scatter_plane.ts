/**
 * The 2-D views of the scatter: `plane`, an ordinary scatter of a 2-d
 * encoding with ticked axes and a light grid, and `strip`, a 1-d encoding's
 * value against the label. Both draw through one axes layer. Private to
 * `report/figures/` (see `scatter.ts`).
 *
 * @module
 */
import { px, svgText } from "./_svg.ts";
import { formatTick, niceTicks } from "./_ticks.ts";
import type { PlotArea, PlotLayer } from "./_scatter_marks.ts";
import { bounds, centroidMarkers, circles, pointRadius } from "./_scatter_marks.ts";

/** An ordinary 2-D scatter with ticked axes and a light grid. */
export function planeLayer(
  points: Float32Array,
  labels: Int32Array,
  centroids: Float32Array,
  area: PlotArea,
): PlotLayer {
  const frame = axesFrame(area);
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
export function stripLayer(
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
  const frame = axesFrame(area);
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

/** The frame of the 2-D views inside the plot area: room for tick labels and axis names. */
function axesFrame(area: PlotArea): PlotArea {
  return {
    left: area.left + 70,
    top: area.top + 10,
    right: area.right - 20,
    bottom: area.bottom - 70,
  };
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

/**
 * Points and centroids (x, y pairs in data units) drawn in `frame` over a
 * light grid at the ticks, with tick labels and axis names; the tick at
 * `centroidRow`, if any, is labelled "centroids".
 */
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
