/**
 * Benchmarks of N2D's steps on MNIST-sized data: exact nearest neighbours,
 * the UMAP fit and transform, and the Gaussian mixture. No trained encoder
 * is needed: the stand-in encoding is the 60,000 training and 10,000 test
 * images projected on their first 10 principal components (real MNIST
 * structure, the size of N2D's encoding). Settings are N2D's: 20
 * neighbours, min_dist 0, 10 components, default epochs (200 for the fit,
 * 100 for the test set), spectral start, seed 0; the mixture has k=10 full
 * covariances, started from k-means with the `cluster` section's defaults
 * (random starts, 10 of them).
 *
 * The fit takes minutes, so each figure is measured once; the later
 * benchmarks reuse the earlier ones' results when they ran in the same
 * session, and compute them in `setup` otherwise.
 *
 * @module
 */
import { readIdxFile } from "../data/idx.ts";
import { fitGaussianMixture } from "../ml/gmm.ts";
import { locateMnist } from "../data/mnist.ts";
import type { NeighbourLists } from "../ml/nearest_neighbours.ts";
import { nearestNeighbours, selfNearestNeighbours } from "../ml/nearest_neighbours.ts";
import { Random } from "../ml/random.ts";
import type { UmapModel, UmapOptions } from "../ml/umap/umap_embedding.ts";
import { fitUmap, transformUmap } from "../ml/umap/umap_embedding.ts";
import { scaleToUnit } from "../stages/normalise.ts";
import type { Benchmark } from "./benchmark.ts";

const PIXELS = 784;
const DIM = 10;
const NEIGHBOURS = 20;
const OPTIONS: UmapOptions = {
  minDist: 0,
  nComponents: 10,
  nEpochs: null,
  init: "spectral",
  seed: 0,
};

let encoding: { train: Float32Array; test: Float32Array } | undefined;
let trainNeighbours: NeighbourLists | undefined;
let testNeighbours: NeighbourLists | undefined;
let model: UmapModel | undefined;

/** The stand-in encoding: MNIST on its first 10 principal components. */
async function standInEncoding(): Promise<{ train: Float32Array; test: Float32Array }> {
  if (encoding === undefined) {
    const files = locateMnist();
    const train = scaleToUnit((await readIdxFile(files.trainImages, "MNIST")).data as Uint8Array);
    const test = scaleToUnit((await readIdxFile(files.testImages, "MNIST")).data as Uint8Array);
    const { mean, components } = principalComponents(train, PIXELS, DIM, 5_000);
    encoding = {
      train: project(train, mean, components, PIXELS, DIM),
      test: project(test, mean, components, PIXELS, DIM),
    };
  }
  return encoding;
}

async function neighbours(): Promise<NeighbourLists> {
  trainNeighbours ??= selfNearestNeighbours((await standInEncoding()).train, DIM, NEIGHBOURS);
  return trainNeighbours;
}

async function fitted(): Promise<UmapModel> {
  model ??= await fitUmap(await neighbours(), OPTIONS);
  return model;
}

/**
 * The top `count` principal directions of `rows`: the covariance of a
 * sample of rows, then subspace iteration on that d×d matrix (cheap next to
 * forming it), orthonormalised by Gram–Schmidt.
 */
function principalComponents(
  rows: Float32Array,
  dim: number,
  count: number,
  sampleRows: number,
): { mean: Float64Array; components: Float64Array } {
  const mean = new Float64Array(dim);
  for (let row = 0; row < sampleRows; row++) {
    for (let i = 0; i < dim; i++) mean[i] = mean[i]! + rows[row * dim + i]! / sampleRows;
  }
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let row = 0; row < sampleRows; row++) {
    for (let i = 0; i < dim; i++) centred[i] = rows[row * dim + i]! - mean[i]!;
    for (let a = 0; a < dim; a++) {
      const value = centred[a]!;
      if (value === 0) continue;
      for (let b = 0; b <= a; b++) {
        covariance[a * dim + b] = covariance[a * dim + b]! + value * centred[b]!;
      }
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < a; b++) covariance[b * dim + a] = covariance[a * dim + b]!;
  }
  const random = new Random(0);
  let basis = Float64Array.from({ length: count * dim }, () => random.normal());
  for (let iteration = 0; iteration < 200; iteration++) {
    const next = new Float64Array(count * dim);
    for (let c = 0; c < count; c++) {
      for (let a = 0; a < dim; a++) {
        let sum = 0;
        for (let b = 0; b < dim; b++) sum += covariance[a * dim + b]! * basis[c * dim + b]!;
        next[c * dim + a] = sum;
      }
      for (let previous = 0; previous < c; previous++) {
        let dot = 0;
        for (let a = 0; a < dim; a++) dot += next[c * dim + a]! * next[previous * dim + a]!;
        for (let a = 0; a < dim; a++) {
          next[c * dim + a] = next[c * dim + a]! - dot * next[previous * dim + a]!;
        }
      }
      let norm = 0;
      for (let a = 0; a < dim; a++) norm += next[c * dim + a]! ** 2;
      for (let a = 0; a < dim; a++) next[c * dim + a] = next[c * dim + a]! / Math.sqrt(norm);
    }
    basis = next;
  }
  return { mean, components: basis };
}

function project(
  rows: Float32Array,
  mean: Float64Array,
  components: Float64Array,
  dim: number,
  count: number,
): Float32Array {
  const rowCount = rows.length / dim;
  const projected = new Float32Array(rowCount * count);
  for (let row = 0; row < rowCount; row++) {
    for (let c = 0; c < count; c++) {
      let sum = 0;
      for (let i = 0; i < dim; i++) {
        sum += (rows[row * dim + i]! - mean[i]!) * components[c * dim + i]!;
      }
      projected[row * count + c] = sum;
    }
  }
  return projected;
}

function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}

/** The N2D benchmarks, for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  {
    name: "exact kNN 60000×10, k=20 (MNIST on 10 principal components)",
    unit: "s",
    higherIsBetter: false,
    repeats: 3,
    async setup() {
      await standInEncoding();
    },
    measure() {
      const started = performance.now();
      trainNeighbours = selfNearestNeighbours(encoding!.train, DIM, NEIGHBOURS);
      return Promise.resolve(seconds(started));
    },
  },
  {
    name: "exact kNN of 10000 test points among 60000×10, k=20",
    unit: "s",
    higherIsBetter: false,
    repeats: 3,
    async setup() {
      await standInEncoding();
    },
    measure() {
      const started = performance.now();
      testNeighbours = nearestNeighbours(encoding!.test, encoding!.train, DIM, NEIGHBOURS);
      return Promise.resolve(seconds(started));
    },
  },
  {
    name: "UMAP fit 60000×10 → 10, 200 epochs, given the kNN (N2D's settings)",
    unit: "s",
    higherIsBetter: false,
    repeats: 1,
    async setup() {
      await neighbours();
    },
    async measure() {
      const started = performance.now();
      model = await fitUmap(trainNeighbours!, OPTIONS);
      return seconds(started);
    },
  },
  {
    name: "UMAP transform of 10000 test points, 100 epochs, given their kNN",
    unit: "s",
    higherIsBetter: false,
    repeats: 1,
    async setup() {
      const { test, train } = await standInEncoding();
      testNeighbours ??= nearestNeighbours(test, train, DIM, NEIGHBOURS);
      await fitted();
    },
    measure() {
      const started = performance.now();
      transformUmap(model!, testNeighbours!, OPTIONS);
      return Promise.resolve(seconds(started));
    },
  },
  {
    name: "Gaussian mixture 60000×10 k=10 full covariances on the UMAP embedding",
    unit: "s",
    higherIsBetter: false,
    repeats: 3,
    async setup() {
      await fitted();
    },
    measure() {
      const started = performance.now();
      fitGaussianMixture(model!.embedding, OPTIONS.nComponents, {
        k: 10,
        maxIter: 300,
        tol: 1e-4,
        covarianceReg: 1e-6,
        kmeans: { init: "random", nInit: 10, maxIter: 300, tol: 1e-4, seed: 0 },
      });
      return Promise.resolve(seconds(started));
    },
    teardown() {
      encoding = undefined;
      trainNeighbours = undefined;
      testNeighbours = undefined;
      model = undefined;
      return Promise.resolve();
    },
  },
];
