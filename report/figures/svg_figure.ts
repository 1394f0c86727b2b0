/**
 * A figure drawn as an SVG document, before it is rasterised to PNG by
 * {@link ../rasterise.ts}. Width and height are in pixels: one SVG user unit
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
