/**
 * The data of the report's interactive explorer: the encoding's points in
 * three dimensions (PCA for wider encodings, zeros added for narrower ones),
 * each point's label and cluster, the centroids, the contingency table, and
 * small images — the centroids decoded, and for the first points their
 * image and its reconstruction. The `render` stage computes it, since it
 * holds the model; the report only embeds it. Arrays travel as base64 of
 * gzip-compressed little-endian bytes, the tooltip's images in 16 grey
 * levels: images of digits are mostly black, and gzip takes them to about a
 * sixth; the page unpacks them with the browser's own `DecompressionStream`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";
import { applyPca, fitPca, totalVariance } from "./_pca.ts";
import { labelColour } from "./_colours.ts";

/** Grey levels of the tooltip's images (see `bytesOf`). */
const TOOLTIP_LEVELS = 16;

/** What {@link explorerData} is computed from. */
export interface ExplorerInput {
  /** The training images' encoding, `n × encodedDim`, row-major. */
  readonly encoding: Float32Array;
  /** Values per encoded image. */
  readonly encodedDim: number;
  /** True label of each training image (-1: unknown). */
  readonly labels: Int32Array;
  /** Cluster of each training image. */
  readonly assignments: Int32Array;
  /** The centroids in the encoding, `k × encodedDim`. */
  readonly centroids: Float32Array;
  /** The data set's label names, `labelNames[label]`; numbers otherwise. */
  readonly labelNames?: readonly string[];
  /** Training images by cluster (rows) and label (columns), all of them. */
  readonly contingency: readonly (readonly number[])[];
  /** How many points the explorer shows: the first ones of the training set. */
  readonly points: number;
  /** Width and height of an image. */
  readonly imageSide: number;
  /** The first `m` plotted points' images, `m × side²`, intensities in [0, 1]. */
  readonly images: Float32Array;
  /** The same images reconstructed by the autoencoder. */
  readonly reconstructions: Float32Array;
  /** The centroids decoded into images, `k × side²`, intensities in [0, 1]. */
  readonly decodedCentroids: Float32Array;
}

/**
 * The explorer's data as the page reads it: JSON, arrays as base64 of gzip.
 * Point `i` is training image `i`; the first `imageCount` carry images.
 */
export interface ExplorerData {
  /** The layout of this record; bumped when it changes. */
  readonly version: 1;
  /** Width of the encoding. */
  readonly encodedDim: number;
  /** How the 3-D coordinates were made from the encoding. */
  readonly projection: "identity" | "pca" | "padded";
  /** One sentence for the page: `PCA of the 10-d encoding: PC1–3 hold 83% of its variance`. */
  readonly projectionNote: string;
  /** The three axes' titles. */
  readonly axisTitles: readonly [string, string, string];
  /** Points shown. */
  readonly count: number;
  /** Training images in all (the contingency table counts these). */
  readonly total: number;
  /** The first `imageCount` points carry their image and its reconstruction. */
  readonly imageCount: number;
  /** Width and height of every image. */
  readonly imageSide: number;
  /** Name of each label number. */
  readonly labelNames: readonly string[];
  /** Number of clusters. */
  readonly clusters: number;
  /** The figures' colour of label (or cluster) `i`, so both scatters agree. */
  readonly colours: readonly string[];
  /** `count × 3` float32 coordinates. */
  readonly points: string;
  /** `count` int32 labels. */
  readonly labels: string;
  /** `count` int32 clusters. */
  readonly assignments: string;
  /** The centroids' 3-D coordinates, `k` rows of 3, rounded to 6 digits. */
  readonly centroids: readonly (readonly number[])[];
  /** `k × side²` uint8 images. */
  readonly centroidImages: string;
  /** `imageCount × side²` uint8 images, in 16 grey levels (multiples of 17). */
  readonly images: string;
  /** `imageCount × side²` uint8 reconstructions, in 16 grey levels. */
  readonly reconstructions: string;
  /** The contingency table of the whole training set, clusters × labels. */
  readonly contingency: readonly (readonly number[])[];
}

/**
 * Packs a run's encoding, labels, clusters and images for the explorer.
 * Pure and deterministic: the same input gives the same record.
 *
 * @param input the run's arrays
 * @returns the record the report embeds
 * @throws {RangeError} when the arrays' sizes do not fit together
 * @example
 * ```ts
 * import { explorerData } from "./explorer_data.ts";
 * const data = explorerData({
 *   encoding: new Float32Array([0, 0, 0, 1, 1, 1]), encodedDim: 3,
 *   labels: new Int32Array([0, 1]), assignments: new Int32Array([0, 1]),
 *   centroids: new Float32Array([0, 0, 0, 1, 1, 1]), contingency: [[1, 0], [0, 1]],
 *   points: 2, imageSide: 1, images: new Float32Array([0, 1]),
 *   reconstructions: new Float32Array([0.1, 0.9]), decodedCentroids: new Float32Array([0, 1]),
 * });
 * if (data.count !== 2 || data.imageCount !== 2 || data.projection !== "identity") {
 *   throw new Error();
 * }
 * ```
 */
export function explorerData(input: ExplorerInput): ExplorerData {
  const { encoding, encodedDim: dim, imageSide: side } = input;
  const total = input.labels.length;
  if (encoding.length !== total * dim || input.assignments.length !== total) {
    throw new RangeError(
      `Cannot explore ${total} labelled images with an encoding of ${encoding.length} values ` +
        `(${dim} each) and ${input.assignments.length} cluster assignments`,
    );
  }
  if (input.centroids.length % dim !== 0) {
    throw new RangeError(
      `Cannot place the centroids: ${input.centroids.length} values are not rows of ${dim}`,
    );
  }
  const pixels = side * side;
  const count = Math.max(0, Math.min(total, Math.floor(input.points)));
  const imageCount = Math.min(count, Math.floor(input.images.length / Math.max(1, pixels)));
  if (input.reconstructions.length < imageCount * pixels) {
    throw new RangeError(
      `Cannot show ${imageCount} reconstructions: only ${input.reconstructions.length} values`,
    );
  }
  const k = input.centroids.length / dim;
  const projected = project(encoding, count, dim, input.centroids, k);
  let labelCount = Math.max(
    input.labelNames?.length ?? 0,
    ...input.contingency.map((row) => row.length),
  );
  for (let i = 0; i < count; i++) labelCount = Math.max(labelCount, input.labels[i]! + 1);
  return {
    version: 1,
    encodedDim: dim,
    projection: projected.projection,
    projectionNote: projected.note,
    axisTitles: projected.axisTitles,
    count,
    total,
    imageCount,
    imageSide: side,
    labelNames: Array.from(
      { length: labelCount },
      (_, label) => input.labelNames?.[label] ?? String(label),
    ),
    clusters: k,
    colours: Array.from({ length: Math.max(labelCount, k) }, (_, group) => labelColour(group)),
    points: pack(Float32Array.from(projected.points)),
    labels: pack(input.labels.slice(0, count)),
    assignments: pack(input.assignments.slice(0, count)),
    centroids: Array.from(
      { length: k },
      (_, c) => [0, 1, 2].map((axis) => Number(projected.centroids[c * 3 + axis]!.toPrecision(6))),
    ),
    centroidImages: pack(bytesOf(input.decodedCentroids)),
    images: pack(bytesOf(input.images.subarray(0, imageCount * pixels), TOOLTIP_LEVELS)),
    reconstructions: pack(
      bytesOf(input.reconstructions.subarray(0, imageCount * pixels), TOOLTIP_LEVELS),
    ),
    contingency: input.contingency.map((row) => [...row]),
  };
}

/** Three coordinates per point and centroid, and how they were made. */
function project(
  encoding: Float32Array,
  count: number,
  dim: number,
  centroids: Float32Array,
  k: number,
): {
  points: Float64Array;
  centroids: Float64Array;
  projection: ExplorerData["projection"];
  note: string;
  axisTitles: [string, string, string];
} {
  if (dim > 3) {
    const pca = fitPca(encoding, count, dim, 3);
    const variances = pca.variances[0]! + pca.variances[1]! + pca.variances[2]!;
    const total = totalVariance(encoding, count, dim);
    const share = total > 0 ? Math.min(1, variances / total) : 1;
    return {
      points: applyPca(pca, encoding, count),
      centroids: applyPca(pca, centroids, k),
      projection: "pca",
      note: `PCA of the ${dim}-d encoding: PC1–3 hold ${(100 * share).toFixed(1)}% of its variance`,
      axisTitles: ["PC1", "PC2", "PC3"],
    };
  }
  const widen = (rows: Float32Array, n: number) => {
    const out = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * 3 + j] = rows[i * dim + j]!;
    return out;
  };
  const titles: [string, string, string] = ["z1", "z2", "z3"];
  return {
    points: widen(encoding, count),
    centroids: widen(centroids, k),
    projection: dim === 3 ? "identity" : "padded",
    note: dim === 3 ? "" : `the encoding is ${dim}-d: the missing axes are 0`,
    axisTitles: titles,
  };
}

/**
 * Intensities in [0, 1] as bytes 0..255, in `levels` grey levels. The
 * tooltip's images are 16 levels (multiples of 17): as readable at 3× as 256,
 * and gzip takes 2,000 MNIST images and reconstructions from 1.3 MB of base64
 * to 0.5 MB, the reconstructions' smooth shading most.
 */
function bytesOf(intensities: Float32Array, levels = 256): Uint8Array {
  const bytes = new Uint8Array(intensities.length);
  const step = 255 / (levels - 1);
  for (let i = 0; i < intensities.length; i++) {
    const value = Math.min(1, Math.max(0, intensities[i]!)) * 255;
    bytes[i] = Math.round(Math.round(value / step) * step);
  }
  return bytes;
}

/** A typed array's bytes (little-endian, as every browser reads them), gzipped, in base64. */
function pack(array: Uint8Array | Int32Array | Float32Array): string {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return Buffer.from(gzipSync(bytes, { level: 9 })).toString("base64");
}
