/**
 * The type every figure function returns: an SVG document and its size.
 * Figures are drawn as SVG text (cheap to build, byte-stable) and only
 * turned into PNG by `../rasterise.ts` at the end.
 *
 * @module
 */

/**
 * A figure drawn as an SVG document, before it is rasterised to PNG by
 * `../rasterise.ts`. Width and height are in pixels: one SVG user unit
 * is one pixel of the PNG.
 */
export interface SvgFigure {
  /** The complete SVG document. */
  readonly svg: string;
  /** Width of the drawing in pixels. */
  readonly width: number;
  /** Height of the drawing in pixels. */
  readonly height: number;
}
