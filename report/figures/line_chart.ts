/**
 * The line-chart figure: one or more series against the step (the loss per
 * epoch; a metric across a sweep), with ticked axes and a legend when there
 * is more than one line.
 *
 * @module
 */
import type { SvgFigure } from "./svg_figure.ts";
import { px, svgDocument, svgText } from "./_svg.ts";
import { labelColour } from "./_colours.ts";
import { formatTick, niceTicks } from "./_ticks.ts";

/** One line of a {@link lineChartFigure}: a value per step (epoch 1, 2, …). */
export interface LineSeries {
  /** The line's name in the legend. */
  readonly name: string;
  /** One value per step; non-finite values leave a gap. */
  readonly values: readonly number[];
  /** Error bars: each step's half-width (a standard deviation), drawn as whiskers. */
  readonly errors?: readonly number[];
}

/** What {@link lineChartFigure} draws. */
export interface LineChartInput {
  /** The lines; step i of every series is drawn at x = i + 1. */
  readonly series: readonly LineSeries[];
  /** The figure's title. */
  readonly title: string;
  /** The name of the horizontal axis. */
  readonly xLabel: string;
  /**
   * Where each step lies on the horizontal axis (the swept values), when
   * numeric; steps are at 1, 2, 3, … otherwise.
   */
  readonly xValues?: readonly number[];
  /** Labels of the steps, for a horizontal axis of names rather than numbers. */
  readonly xTickLabels?: readonly string[];
  /** The name of the vertical axis. */
  readonly yLabel: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/**
 * Draws one or more series (loss per epoch) as lines with a marker per step,
 * ticked axes and, for several series, a legend. The value axis spans the
 * data, not zero, so that late small improvements stay visible; non-finite
 * values are left out of the line.
 *
 * @param input the series, labels and size
 * @returns the SVG figure
 * @example
 * ```ts
 * import { lineChartFigure } from "./line_chart.ts";
 * const figure = lineChartFigure({
 *   series: [{ name: "loss", values: [0.3, 0.2, 0.18] }],
 *   title: "Training loss", xLabel: "epoch", yLabel: "loss", width: 640, height: 360,
 * });
 * if (!figure.svg.includes("<polyline")) throw new Error();
 * ```
 */
export function lineChartFigure(input: LineChartInput): SvgFigure {
  const { width, height, series } = input;
  const frame = { left: 76, top: 46, right: width - 24, bottom: height - 56 };
  const steps = Math.max(0, ...series.map((s) => s.values.length));
  const finite = series.flatMap((s) =>
    s.values.flatMap((value, step) => {
      const error = s.errors?.[step] ?? 0;
      return Number.isFinite(value) ? [value - error, value + error] : [];
    })
  );
  const parts = [svgText(16, 28, input.title, { size: 16, weight: "bold" })];
  if (steps === 0 || finite.length === 0) {
    parts.push(
      svgText(width / 2, height / 2, "(no values)", { size: 14, anchor: "middle", fill: "#666" }),
    );
    return { svg: svgDocument(width, height, parts.join("")), width, height };
  }
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  const margin = high > low ? (high - low) * 0.06 : Math.max(Math.abs(high) * 0.05, 0.5);
  low -= margin;
  high += margin;
  const positions = input.xValues ?? Array.from({ length: steps }, (_, step) => step + 1);
  const xLow = Math.min(...positions);
  const xHigh = positions.length > 1 && Math.max(...positions) > xLow
    ? Math.max(...positions)
    : xLow + 1;
  const toX = (position: number) =>
    frame.left + ((position - xLow) / (xHigh - xLow)) * (frame.right - frame.left);
  const toY = (value: number) =>
    frame.bottom - ((value - low) / (high - low)) * (frame.bottom - frame.top);

  for (const tick of niceTicks(low, high, 6).filter((t) => t >= low && t <= high)) {
    const y = toY(tick);
    parts.push(
      `<line x1="${frame.left}" y1="${px(y)}" x2="${frame.right}" y2="${px(y)}" stroke="#e4e4e4"/>`,
    );
    parts.push(
      svgText(frame.left - 8, y, formatTick(tick), { size: 12, anchor: "end", baseline: "middle" }),
    );
  }
  // Steps (epochs) are whole numbers: no tick at 2.5. Swept values are ticked where they are.
  const xTicks: [number, string][] = input.xTickLabels !== undefined
    ? input.xTickLabels.map((label, step) => [positions[step] ?? step + 1, label])
    : input.xValues !== undefined
    ? [...new Set(input.xValues)].map((value) => [value, formatTick(value)])
    : niceTicks(xLow, xHigh, Math.min(10, xHigh - xLow)).filter((t) =>
      Number.isInteger(t) && t >= xLow && t <= xHigh
    ).map((tick) => [tick, String(tick)]);
  for (const [tick, label] of xTicks) {
    const x = toX(tick);
    parts.push(
      `<line x1="${px(x)}" y1="${frame.top}" x2="${px(x)}" y2="${frame.bottom}" stroke="#e4e4e4"/>`,
    );
    parts.push(svgText(x, frame.bottom + 18, label, { size: 12, anchor: "middle" }));
  }
  parts.push(
    `<rect x="${frame.left}" y="${frame.top}" width="${frame.right - frame.left}" ` +
      `height="${frame.bottom - frame.top}" fill="none" stroke="#888"/>`,
  );
  parts.push(
    svgText((frame.left + frame.right) / 2, frame.bottom + 42, input.xLabel, {
      size: 13,
      anchor: "middle",
    }),
  );
  parts.push(
    svgText(20, (frame.top + frame.bottom) / 2, input.yLabel, {
      size: 13,
      anchor: "middle",
      rotate: -90,
    }),
  );
  series.forEach((line, index) => {
    const colour = labelColour(index);
    const points: string[] = [];
    const markers: string[] = [];
    line.values.forEach((value, step) => {
      if (!Number.isFinite(value)) return;
      const x = px(toX(positions[step] ?? step + 1));
      const y = px(toY(value));
      points.push(`${x},${y}`);
      markers.push(`<circle cx="${x}" cy="${y}" r="3" fill="${colour}"/>`);
      const error = line.errors?.[step];
      if (error !== undefined && Number.isFinite(error) && error > 0) {
        const top = px(toY(value + error));
        const bottom = px(toY(value - error));
        markers.push(
          `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${colour}"/>` +
            `<line x1="${px(Number(x) - 4)}" y1="${top}" x2="${px(Number(x) + 4)}" y2="${top}" ` +
            `stroke="${colour}"/><line x1="${px(Number(x) - 4)}" y1="${bottom}" ` +
            `x2="${px(Number(x) + 4)}" y2="${bottom}" stroke="${colour}"/>`,
        );
      }
    });
    parts.push(
      `<polyline points="${points.join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`,
    );
    // Markers only while they stay apart.
    if (line.values.length <= 60) parts.push(markers.join(""));
    if (series.length > 1) {
      const y = frame.top + 16 + index * 18;
      parts.push(
        `<line x1="${frame.right - 120}" y1="${y}" x2="${
          frame.right - 100
        }" y2="${y}" stroke="${colour}" stroke-width="2"/>`,
      );
      parts.push(svgText(frame.right - 94, y, line.name, { size: 12, baseline: "middle" }));
    }
  });
  const last = series[0]?.values.at(-1);
  if (last !== undefined && Number.isFinite(last)) {
    parts.push(
      svgText(frame.right, frame.top - 8, `last ${series[0]!.name}: ${last.toPrecision(4)}`, {
        size: 12,
        anchor: "end",
        fill: "#444",
      }),
    );
  }
  return { svg: svgDocument(width, height, parts.join("")), width, height };
}
