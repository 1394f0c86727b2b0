/**
 * A minimal PNG encoder for greyscale images, so that digit images can be
 * embedded in a figure's SVG as data URIs (one `<image>` instead of 784
 * `<rect>`s, which librsvg draws about 100× slower).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  // The CRC covers the type and the data, not the length.
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes 8-bit greyscale pixels (row-major, `width × height`) as a PNG.
 */
function greyPng(width: number, height: number, pixels: Uint8Array): Uint8Array {
  // Each row starts with its filter type byte (0: none).
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, width);
  headerView.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}

/**
 * A digit image as a `data:image/png` URI, dark ink on white (0 → white,
 * 1 → black, like the seed's `gray_r`), each source pixel drawn as a
 * `scale × scale` block so the image stays crisp whatever the SVG renderer's
 * smoothing.
 *
 * @param values the image's intensities, row-major, `side × side`
 * @param side width and height of the image in pixels
 * @param scale output pixels per image pixel
 * @param low intensity shown as white
 * @param high intensity shown as black
 */
export function digitDataUri(
  values: ArrayLike<number>,
  side: number,
  scale: number,
  low = 0,
  high = 1,
): string {
  const size = side * scale;
  const pixels = new Uint8Array(size * size);
  const span = high > low ? high - low : 1;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const t = Math.min(1, Math.max(0, ((values[y * side + x] ?? 0) - low) / span));
      const grey = Math.round(255 * (1 - t));
      for (let dy = 0; dy < scale; dy++) {
        const row = (y * scale + dy) * size + x * scale;
        pixels.fill(grey, row, row + scale);
      }
    }
  }
  return `data:image/png;base64,${Buffer.from(greyPng(size, size, pixels)).toString("base64")}`;
}
