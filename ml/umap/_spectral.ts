/**
 * UMAP's spectral start: the embedding begins at the leading non-trivial
 * eigenvectors of the graph's normalised adjacency D^−½ W D^−½ (equivalently
 * the smallest of its normalised Laplacian, `umap-learn`'s default start).
 * Points of one well-connected group start together and groups start apart,
 * which the gradient descent then only has to refine.
 *
 * The eigenvectors are found by subspace iteration on (I + D^−½ W D^−½) / 2
 * (eigenvalues in [0, 1], so the wanted ones dominate), with the trivial
 * eigenvector √degree projected out. Only the subspace matters for a start
 * (UMAP's result does not depend on a rotation of it), so no Rayleigh–Ritz
 * step is needed, and a fixed number of iterations suffices.
 *
 * @module
 */
import type { EdgeList } from "./_graph.ts";
import { choleskyFactor, forwardSubstitution } from "../linear_algebra.ts";
import type { Random } from "../random.ts";

/** Subspace iterations: enough for the leading, well-separated eigenvectors. */
const ITERATIONS = 100;

/**
 * A spectral start for `count` vertices in `nComponents` dimensions
 * (row-major), or a random one when the graph is too small for it.
 *
 * @param graph symmetric edges sorted by head (both directions listed)
 * @param count number of vertices
 * @param nComponents dimensions of the embedding
 * @param random seeded generator for the starting block
 * @returns row-major coordinates, count × nComponents (unscaled)
 */
export function spectralLayout(
  graph: EdgeList,
  count: number,
  nComponents: number,
  random: Random,
): Float64Array {
  const { heads, tails, weights } = graph;
  if (count <= nComponents + 1) return randomLayout(count, nComponents, random);
  const degrees = new Float64Array(count);
  for (let edge = 0; edge < heads.length; edge++) {
    degrees[heads[edge]!] = degrees[heads[edge]!]! + weights[edge]!;
  }
  // An isolated vertex gets degree 1: its row of the adjacency is empty anyway.
  const inverseRoots = degrees.map((degree) => 1 / Math.sqrt(degree > 0 ? degree : 1));
  const normalised = Float64Array.from(
    weights,
    (weight, edge) => weight * inverseRoots[heads[edge]!]! * inverseRoots[tails[edge]!]!,
  );
  // The trivial eigenvector (eigenvalue 1): √degree, normalised.
  const trivial = degrees.map((degree) => Math.sqrt(degree));
  normalise(trivial);

  const width = nComponents;
  let block = Float64Array.from({ length: count * width }, () => random.normal());
  let next = new Float64Array(count * width);
  orthonormalise(block, width, trivial);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    // next = (block + M·block) / 2
    for (let index = 0; index < block.length; index++) next[index] = block[index]! / 2;
    for (let edge = 0; edge < heads.length; edge++) {
      const weight = normalised[edge]! / 2;
      const target = heads[edge]! * width;
      const source = tails[edge]! * width;
      for (let c = 0; c < width; c++) {
        next[target + c] = next[target + c]! + weight * block[source + c]!;
      }
    }
    orthonormalise(next, width, trivial);
    [block, next] = [next, block];
  }
  return block;
}

/**
 * A random start: coordinates uniform in [−1, 1], row-major (`umap-js`'s
 * only start, before scaling, and the spectral start's fallback).
 *
 * @param count number of vertices
 * @param nComponents dimensions of the embedding
 * @param random seeded generator
 * @returns row-major coordinates, count × nComponents
 */
export function randomLayout(count: number, nComponents: number, random: Random): Float64Array {
  return Float64Array.from({ length: count * nComponents }, () => random.next() * 2 - 1);
}

/**
 * Makes the `width` columns of a row-major block orthogonal to `trivial`
 * (a unit vector) and orthonormal, by Cholesky QR done twice (two passes
 * over the rows each, where Gram–Schmidt takes one per pair of columns;
 * the second round restores the orthogonality the first loses to
 * rounding).
 */
function orthonormalise(block: Float64Array, width: number, trivial: Float64Array): void {
  const count = block.length / width;
  const dots = new Float64Array(width);
  for (let row = 0; row < count; row++) {
    for (let c = 0; c < width; c++) dots[c] = dots[c]! + block[row * width + c]! * trivial[row]!;
  }
  for (let row = 0; row < count; row++) {
    for (let c = 0; c < width; c++) {
      block[row * width + c] = block[row * width + c]! - dots[c]! * trivial[row]!;
    }
  }
  for (let round = 0; round < 2; round++) choleskyQr(block, width);
}

/** Y ← Y·L⁻ᵀ where YᵀY = L·Lᵀ, so the columns become orthonormal. */
function choleskyQr(block: Float64Array, width: number): void {
  const count = block.length / width;
  const gram = new Float64Array(width * width);
  for (let row = 0; row < count; row++) {
    const base = row * width;
    for (let a = 0; a < width; a++) {
      const value = block[base + a]!;
      for (let b = 0; b <= a; b++) {
        gram[a * width + b] = gram[a * width + b]! + value * block[base + b]!;
      }
    }
  }
  let trace = 0;
  for (let a = 0; a < width; a++) trace += gram[a * width + a]!;
  // A column that (nearly) vanished makes the Gram matrix singular: a small
  // ridge keeps the factor finite, and the column stays (nearly) zero.
  const factor = new Float64Array(width * width);
  let ridge = 0;
  while (choleskyFactor(gram, width, ridge, factor) === undefined) {
    ridge = ridge === 0 ? 1e-12 * (trace || 1) : ridge * 10;
  }
  // Each row y becomes L⁻¹y, solved in place in a copy of the row.
  const solved = new Float64Array(width);
  for (let row = 0; row < count; row++) {
    const base = row * width;
    for (let a = 0; a < width; a++) solved[a] = block[base + a]!;
    forwardSubstitution(factor, width, solved, solved);
    block.set(solved, base);
  }
}

function normalise(vector: Float64Array): void {
  let squared = 0;
  for (const value of vector) squared += value * value;
  const norm = Math.sqrt(squared);
  if (norm > 0) {
    for (let index = 0; index < vector.length; index++) vector[index] = vector[index]! / norm;
  }
}
