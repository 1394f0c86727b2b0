/**
 * Turns a figure's SVG into PNG bytes with sharp (librsvg underneath). sharp is
 * imported on first use, so modules that import this one stay light and a
 * fully cached run never loads it.
 *
 * @module
 */

/**
 * Rasterises an SVG document to a PNG, one pixel per SVG user unit, flattened
 * onto white (no alpha channel). The same SVG always gives the same bytes:
 * sharp writes no timestamps or other varying metadata.
 *
 * @param svg a complete SVG document with pixel `width` and `height`
 * @returns the PNG file's bytes
 * @throws {Error} when sharp cannot parse or draw the SVG
 * @example
 * ```ts
 * import { rasterise } from "./rasterise.ts";
 * const png = await rasterise('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
 * if (png[1] !== 0x50) throw new Error("not a PNG");
 * ```
 */
export async function rasterise(svg: string): Promise<Uint8Array> {
  const { default: sharp } = await import("sharp");
  const png = await sharp(new TextEncoder().encode(svg), {
    // A 10,000-point scatter is a large document; this is our own SVG, not untrusted input.
    unlimited: true,
  })
    .flatten({ background: "#ffffff" })
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
