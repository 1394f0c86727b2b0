/**
 * The heatmap figure: a table of counts (the contingency table of clusters
 * against labels) as shaded cells with the count in each, so a good
 * clustering reads as one dark cell per row.
 *
 * @module
 */
import type { SvgFigure } from "./svg_figure.ts";
import { formatCount, svgDocument, svgText } from "./_svg.ts";
import { heatColour } from "./_colours.ts";

/** What {@link heatmapFigure} draws. */
export interface HeatmapInput {
  /** Counts by row and column: `counts[row][column]`. */
  readonly counts: readonly (readonly number[])[];
  /** Text left of each row. */
  readonly rowLabels: readonly string[];
  /** Text above each column. */
  readonly columnLabels: readonly string[];
  /** Name of the row variable, drawn at the top left ("cluster"). */
  readonly rowTitle: string;
  /** Name of the column variable, drawn above the column labels ("true label"). */
  readonly columnTitle: string;
  /** The figure's title. */
  readonly title: string;
}

const CELL_HEIGHT = 30;

/**
 * Draws a table of counts as a heatmap with the count in each cell. Each
 * cell's shade is its share of its row, so a pure cluster shows as one dark
 * cell whatever the cluster's size; a last column gives each row's total.
 *
 * @param input the counts and their labels
 * @returns the SVG figure
 * @throws {RangeError} when the labels do not match the table's shape
 * @example
 * ```ts
 * import { heatmapFigure } from "./heatmap.ts";
 * const figure = heatmapFigure({
 *   counts: [[5, 0], [1, 4]], rowLabels: ["0", "1"], columnLabels: ["a", "b"],
 *   rowTitle: "cluster", columnTitle: "label", title: "two clusters",
 * });
 * if (!figure.svg.includes(">5<")) throw new Error();
 * ```
 */
export function heatmapFigure(input: HeatmapInput): SvgFigure {
  const { counts, rowLabels, columnLabels } = input;
  const columns = columnLabels.length;
  if (counts.length !== rowLabels.length || counts.some((row) => row.length !== columns)) {
    throw new RangeError(
      `Cannot draw a heatmap of ${counts.length} rows for ${rowLabels.length} row labels and ` +
        `${columns} column labels: every row must have one count per column label`,
    );
  }
  const largest = Math.max(1, ...counts.flat());
  // Wide enough for the largest count, e.g. "60,000".
  const cellWidth = Math.max(44, formatCount(largest).length * 8 + 14);
  const left = 24 +
    Math.ceil(Math.max(input.rowTitle.length, ...rowLabels.map((l) => l.length)) * 7.5);
  const top = 88;
  const totalsLeft = left + columns * cellWidth + 10;
  const width = Math.max(totalsLeft + cellWidth + 16, Math.ceil(input.title.length * 9.5) + 32);
  const height = top + counts.length * CELL_HEIGHT + 16;

  const parts = [svgText(16, 28, input.title, { size: 16, weight: "bold" })];
  parts.push(
    svgText(left + (columns * cellWidth) / 2, top - 34, input.columnTitle, {
      size: 13,
      weight: "bold",
      anchor: "middle",
    }),
  );
  parts.push(
    svgText(left - 10, top - 10, input.rowTitle, { size: 13, weight: "bold", anchor: "end" }),
  );
  columnLabels.forEach((label, column) => {
    parts.push(
      svgText(left + (column + 0.5) * cellWidth, top - 10, label, { size: 13, anchor: "middle" }),
    );
  });
  parts.push(
    svgText(totalsLeft + cellWidth / 2, top - 10, "total", { size: 13, anchor: "middle" }),
  );
  counts.forEach((row, rowIndex) => {
    const y = top + rowIndex * CELL_HEIGHT;
    const total = row.reduce((sum, count) => sum + count, 0);
    parts.push(
      svgText(left - 10, y + CELL_HEIGHT / 2, rowLabels[rowIndex]!, {
        size: 13,
        anchor: "end",
        baseline: "middle",
      }),
    );
    row.forEach((count, column) => {
      const x = left + column * cellWidth;
      const { fill, darkBackground } = heatColour(total > 0 ? count / total : 0);
      parts.push(
        `<rect x="${x}" y="${y}" width="${cellWidth}" height="${CELL_HEIGHT}" fill="${fill}" stroke="#ffffff"/>`,
      );
      parts.push(
        svgText(x + cellWidth / 2, y + CELL_HEIGHT / 2, formatCount(count), {
          size: 12,
          anchor: "middle",
          baseline: "middle",
          fill: darkBackground ? "#ffffff" : count === 0 ? "#aaaaaa" : "#222222",
        }),
      );
    });
    parts.push(
      svgText(totalsLeft + cellWidth / 2, y + CELL_HEIGHT / 2, formatCount(total), {
        size: 12,
        anchor: "middle",
        baseline: "middle",
        weight: "bold",
      }),
    );
  });
  return { svg: svgDocument(width, height, parts.join("")), width, height };
}
