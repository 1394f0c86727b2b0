/**
 * The image-grid figure: images (decoded centroids, originals next to their
 * reconstructions) in rows and columns with optional captions, headers and
 * row labels, each image embedded as a small PNG so the SVG stays light.
 *
 * @module
 */
import type { SvgFigure } from "./svg_figure.ts";
import { svgDocument, svgText } from "./_svg.ts";
import { digitDataUri } from "./_png.ts";

/** What {@link imageGridFigure} draws. */
export interface ImageGridInput {
  /** The images, row-major one after another: `count × side²` intensities. */
  readonly images: Float32Array;
  /** Width and height of each image in pixels (28 for MNIST). */
  readonly side: number;
  /** Images per grid row; the last row may be shorter. */
  readonly columns: number;
  /** Screen pixels per image pixel. */
  readonly scale: number;
  /** The figure's title. */
  readonly title: string;
  /** Lines of text under each image, by image index. */
  readonly captions?: readonly (readonly string[])[];
  /** Text above each column. */
  readonly columnHeaders?: readonly string[];
  /** Text left of each grid row. */
  readonly rowLabels?: readonly string[];
  /** Extra space after every this many rows, to group them (pairs: 2). */
  readonly rowGroup?: number;
}

const CAPTION_SIZE = 12;
const CAPTION_LINE = 15;
const GAP = 14;

/**
 * Draws images in a grid, dark ink on white, each with optional caption
 * lines below it. Intensities in [0, 1] (the normalised images, decoder
 * outputs) are shown on that fixed scale, so images can be compared by
 * darkness; if any value falls outside it, each image is stretched over its own
 * minimum..maximum instead.
 *
 * @param input the images, layout and text
 * @returns the SVG figure
 * @throws {RangeError} when `images` is not a whole number of `side × side` images
 * @example
 * ```ts
 * import { imageGridFigure } from "./image_grid.ts";
 * const figure = imageGridFigure({
 *   images: new Float32Array(2 * 28 * 28), side: 28, columns: 2, scale: 2, title: "two blanks",
 * });
 * if (figure.width <= 0) throw new Error();
 * ```
 */
export function imageGridFigure(input: ImageGridInput): SvgFigure {
  const { images, side, scale, captions, columnHeaders, rowLabels } = input;
  const pixelsPerImage = side * side;
  if (!Number.isInteger(side) || side < 1 || images.length % pixelsPerImage !== 0) {
    throw new RangeError(
      `Cannot draw images of side ${side}: ${images.length} values are not whole ${side}×${side} images`,
    );
  }
  const count = images.length / pixelsPerImage;
  const columns = Math.max(1, Math.min(input.columns, Math.max(1, count)));
  const rows = Math.ceil(count / columns);
  const group = input.rowGroup ?? 0;
  const captionLines = Math.max(0, ...(captions ?? []).map((lines) => lines.length));
  const longestCaption = Math.max(0, ...(captions ?? []).flat().map((line) => line.length));
  const imageSize = side * scale;
  // DejaVu Sans at 12 px averages about 7 px per character.
  const cellWidth = Math.max(imageSize, Math.ceil(longestCaption * 7)) + GAP;
  const cellHeight = imageSize + captionLines * CAPTION_LINE + GAP + (captionLines > 0 ? 4 : 0);
  const groupGap = (row: number) => (group > 0 ? Math.floor(row / group) * GAP : 0);
  const left = rowLabels
    ? 16 + Math.ceil(Math.max(0, ...rowLabels.map((l) => l.length)) * 7.5) + 10
    : 16;
  const top = 48 + (columnHeaders ? 20 : 0);
  const gridWidth = columns * cellWidth;
  const width = Math.max(left + gridWidth + 8, Math.ceil(input.title.length * 9.5) + 32);
  const height = top + Math.max(1, rows) * cellHeight + groupGap(Math.max(0, rows - 1)) + 6;

  const { low, high, perImage } = displayRange(images);
  const parts = [svgText(16, 28, input.title, { size: 16, weight: "bold" })];
  if (count === 0) parts.push(svgText(16, top + 20, "(no images)", { size: 13, fill: "#666" }));
  const cellLeft = (column: number) => left + column * cellWidth;
  const cellTop = (row: number) => top + row * cellHeight + groupGap(row);
  if (columnHeaders) {
    for (let column = 0; column < columns; column++) {
      const header = columnHeaders[column];
      if (header === undefined) continue;
      parts.push(
        svgText(cellLeft(column) + imageSize / 2, top - 10, header, {
          size: 12,
          anchor: "middle",
          fill: "#444",
        }),
      );
    }
  }
  for (let row = 0; row < rows; row++) {
    const label = rowLabels?.[row];
    if (label !== undefined) {
      parts.push(
        svgText(left - 10, cellTop(row) + imageSize / 2, label, {
          size: 13,
          anchor: "end",
          baseline: "middle",
        }),
      );
    }
  }
  for (let index = 0; index < count; index++) {
    const column = index % columns;
    const row = Math.floor(index / columns);
    const x = cellLeft(column);
    const y = cellTop(row);
    const values = images.subarray(index * pixelsPerImage, (index + 1) * pixelsPerImage);
    const [imageLow, imageHigh] = perImage ? minMax(values) : [low, high];
    parts.push(
      `<image x="${x}" y="${y}" width="${imageSize}" height="${imageSize}" ` +
        `href="${digitDataUri(values, side, scale, imageLow, imageHigh)}"/>`,
    );
    parts.push(
      `<rect x="${x - 0.5}" y="${y - 0.5}" width="${imageSize + 1}" height="${imageSize + 1}" ` +
        `fill="none" stroke="#c8c8c8"/>`,
    );
    const lines = captions?.[index] ?? [];
    lines.forEach((line, lineIndex) => {
      parts.push(
        svgText(x + imageSize / 2, y + imageSize + 4 + (lineIndex + 1) * CAPTION_LINE - 3, line, {
          size: CAPTION_SIZE,
          anchor: "middle",
        }),
      );
    });
  }
  return { svg: svgDocument(width, height, parts.join("")), width, height };
}

function minMax(values: Float32Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return high > low ? [low, high] : [low, low + 1];
}

function displayRange(images: Float32Array): { low: number; high: number; perImage: boolean } {
  const [low, high] = images.length > 0 ? minMax(images) : [0, 1];
  return { low: 0, high: 1, perImage: low < 0 || high > 1 };
}
