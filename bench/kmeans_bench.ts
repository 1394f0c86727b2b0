/**
 * Benchmarks of k-means on MNIST: on the pixels (the baseline's work) and on
 * a 3-d representation standing in for the encoding. The 3-d points are the
 * 60,000 images projected on their first three principal components and
 * scaled to [0, 1] like the encoder's sigmoid output: real MNIST structure,
 * no trained model needed. Each figure is one initialisation (seed 0,
 * random init, tol 1e-4, maxIter 300), so it includes the iterations that
 * initialisation needs.
 *
 * @module
 */
import { kmeans } from "../ml/kmeans/kmeans.ts";
import { readIdxFile } from "../data/idx.ts";
import { locateMnist } from "../data/mnist.ts";
import { Random } from "../ml/random.ts";
import { scaleToUnit } from "../stages/normalise.ts";
import type { Benchmark } from "./benchmark.ts";

const PIXELS = 784;

let pixels: Float32Array | undefined;
let components: Float32Array | undefined;

async function mnistPixels(): Promise<Float32Array> {
  if (pixels === undefined) {
    const images = await readIdxFile(locateMnist().trainImages, "MNIST training images");
    pixels = scaleToUnit(images.data as Uint8Array);
  }
  return pixels;
}

/** One k-means initialisation as the pipeline runs it (the seed's settings). */
function oneInit(points: Float32Array, dim: number): number {
  const start = performance.now();
  kmeans(points, dim, { k: 10, init: "random", nInit: 1, maxIter: 300, tol: 1e-4, seed: 0 });
  return performance.now() - start;
}

/**
 * Rows projected on the top `count` principal components (subspace
 * iteration on a sample of rows), then each column scaled to [0, 1].
 */
function principalProjection(rows: Float32Array, dim: number, count: number): Float32Array {
  const rowCount = rows.length / dim;
  const sampleRows = Math.min(rowCount, 10_000);
  const mean = new Float64Array(dim);
  for (let row = 0; row < sampleRows; row++) {
    for (let i = 0; i < dim; i++) mean[i] = mean[i]! + rows[row * dim + i]! / sampleRows;
  }
  const random = new Random(0);
  let basis = Array.from(
    { length: count },
    () => Float64Array.from({ length: dim }, () => random.normal()),
  );
  for (let iteration = 0; iteration < 30; iteration++) {
    // basis ← orthonormalise(Xᵀ X basis), X the centred sample.
    const next = basis.map(() => new Float64Array(dim));
    for (let row = 0; row < sampleRows; row++) {
      basis.forEach((vector, c) => {
        let projection = 0;
        for (let i = 0; i < dim; i++) projection += (rows[row * dim + i]! - mean[i]!) * vector[i]!;
        const target = next[c]!;
        for (let i = 0; i < dim; i++) {
          target[i] = target[i]! + projection * (rows[row * dim + i]! - mean[i]!);
        }
      });
    }
    next.forEach((vector, c) => {
      for (let previous = 0; previous < c; previous++) {
        const other = next[previous]!;
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += vector[i]! * other[i]!;
        for (let i = 0; i < dim; i++) vector[i] = vector[i]! - dot * other[i]!;
      }
      const norm = Math.hypot(...vector);
      for (let i = 0; i < dim; i++) vector[i] = vector[i]! / norm;
    });
    basis = next;
  }
  const projected = new Float32Array(rowCount * count);
  for (let row = 0; row < rowCount; row++) {
    basis.forEach((vector, c) => {
      let projection = 0;
      for (let i = 0; i < dim; i++) projection += (rows[row * dim + i]! - mean[i]!) * vector[i]!;
      projected[row * count + c] = projection;
    });
  }
  for (let c = 0; c < count; c++) {
    let low = Infinity;
    let high = -Infinity;
    for (let row = 0; row < rowCount; row++) {
      low = Math.min(low, projected[row * count + c]!);
      high = Math.max(high, projected[row * count + c]!);
    }
    for (let row = 0; row < rowCount; row++) {
      projected[row * count + c] = (projected[row * count + c]! - low) / (high - low);
    }
  }
  return projected;
}

/** The k-means benchmarks, for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  {
    name: "k-means 60000×3 k=10 one init (MNIST on 3 principal components)",
    unit: "ms",
    higherIsBetter: false,
    repeats: 7,
    async setup() {
      components ??= principalProjection(await mnistPixels(), PIXELS, 3);
      oneInit(components, 3); // compile the kernels before timing
    },
    measure() {
      return Promise.resolve(oneInit(components!, 3));
    },
  },
  {
    name: "k-means 60000×784 k=10 one init (MNIST pixels)",
    unit: "s",
    higherIsBetter: false,
    repeats: 3,
    async setup() {
      await mnistPixels();
    },
    measure() {
      return Promise.resolve(oneInit(pixels!, PIXELS) / 1000);
    },
    teardown() {
      pixels = undefined;
      return Promise.resolve();
    },
  },
];
