/**
 * Plain-text tables for the terminal.
 *
 * @module
 */
/**
 * Lines of a plain-text table: the first column left-aligned, the others
 * right-aligned (they hold numbers), two spaces between columns.
 *
 * @param header the column titles
 * @param rows the cells, one array per row
 * @returns the header line and one line per row
 * @example
 * ```ts
 * import { textTable } from "./text_table.ts";
 *
 * const lines = textTable(["metric", "value"], [["purity", "0.70"]]);
 * if (lines.join("|") !== "metric  value|purity   0.70") throw new Error(lines.join("|"));
 * ```
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = (cells: readonly string[]) =>
    widths.map((width, column) => {
      const cell = cells[column] ?? "";
      return column === 0 ? cell.padEnd(width) : cell.padStart(width);
    }).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}
