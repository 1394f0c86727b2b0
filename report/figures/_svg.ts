/**
 * Small helpers shared by the figures for writing SVG: the document with
 * its font and white background, text elements, short coordinates and
 * counts. Every figure writes its SVG as text through these, so all share
 * one font and number format. Private to `report/figures/`.
 *
 * @module
 */

/** The font every figure asks for; fontconfig maps it to an installed face. */
const FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif";

/** Escapes `&`, `<`, `>`, `"` and `'` for use in SVG text and attributes. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => {
    switch (character) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&apos;";
    }
  });
}

/**
 * A coordinate as short text: one decimal is finer than a pixel needs and
 * keeps a 10,000-point scatter's SVG small; `-0` prints as `0`.
 */
export function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return rounded === 0 ? "0" : String(rounded);
}

/** Options of {@link svgText}. */
export interface TextOptions {
  readonly size?: number;
  readonly anchor?: "start" | "middle" | "end";
  readonly weight?: "normal" | "bold";
  readonly fill?: string;
  /** Degrees, clockwise, about the text's anchor point. */
  readonly rotate?: number;
  /** Vertical placement relative to `y`: the baseline (default) or the middle of the text. */
  readonly baseline?: "alphabetic" | "middle";
}

/** One `<text>` element at (x, y). */
export function svgText(x: number, y: number, content: string, options: TextOptions = {}): string {
  const attributes = [`x="${px(x)}"`, `y="${px(y)}"`, `font-size="${options.size ?? 13}"`];
  if (options.anchor && options.anchor !== "start") {
    attributes.push(`text-anchor="${options.anchor}"`);
  }
  if (options.weight === "bold") attributes.push(`font-weight="bold"`);
  if (options.fill) attributes.push(`fill="${options.fill}"`);
  if (options.baseline === "middle") attributes.push(`dominant-baseline="central"`);
  if (options.rotate) {
    attributes.push(`transform="rotate(${options.rotate} ${px(x)} ${px(y)})"`);
  }
  return `<text ${attributes.join(" ")}>${escapeXml(content)}</text>`;
}

/**
 * A whole SVG document on a white background. Pixel sizes are set so that
 * sharp, at its default 72 dpi, makes one PNG pixel per user unit.
 */
export function svgDocument(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" fill="#222">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>${body}</svg>`;
}

/** A count with thousands separators, the same in every locale: `60,000`. */
export function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
