/**
 * Principal component analysis for drawing encodings of more than three
 * dimensions: the covariance matrix is small (d × d), so its eigenvectors are
 * found exactly with the cyclic Jacobi method rather than iteratively.
 *
 * @module
 */

/** A fitted projection onto the leading principal components. */
export interface PcaProjection {
  /** Dimension of the input rows. */
  readonly inputDim: number;
  /** The mean row, subtracted before projecting. */
  readonly mean: Float64Array;
  /** `outputDim` unit vectors of length `inputDim`, row-major, by decreasing variance. */
  readonly components: Float64Array;
  /** Number of components kept. */
  readonly outputDim: number;
  /** Variance along each kept component. */
  readonly variances: Float64Array;
}

/**
 * Fits the `outputDim` leading principal components of `rows` (n × d,
 * row-major). Each component's sign is fixed so that its largest entry is
 * positive, so equal inputs always give the same picture.
 */
export function fitPca(
  rows: ArrayLike<number>,
  n: number,
  d: number,
  outputDim: number,
): PcaProjection {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]! / n;
  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = rows[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ca = centred[a]!;
      for (let b = a; b < d; b++) covariance[a * d + b]! += ca * centred[b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const value = covariance[a * d + b]! / Math.max(1, n - 1);
      covariance[a * d + b] = value;
      covariance[b * d + a] = value;
    }
  }
  const { values, vectors } = symmetricEigen(covariance, d);
  const order = [...values.keys()].sort((x, y) => values[y]! - values[x]! || x - y);
  const kept = Math.min(outputDim, d);
  const components = new Float64Array(outputDim * d);
  const variances = new Float64Array(outputDim);
  for (let c = 0; c < kept; c++) {
    const column = order[c]!;
    let largest = 0;
    for (let j = 0; j < d; j++) {
      const entry = vectors[j * d + column]!;
      if (Math.abs(entry) > Math.abs(largest)) largest = entry;
    }
    const sign = largest < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) components[c * d + j] = sign * vectors[j * d + column]!;
    variances[c] = values[column]!;
  }
  return { inputDim: d, mean, components, outputDim, variances };
}

/** Projects `rows` (n × inputDim) onto the fitted components: n × outputDim. */
export function applyPca(
  projection: PcaProjection,
  rows: ArrayLike<number>,
  n: number,
): Float64Array {
  const { inputDim: d, outputDim, mean, components } = projection;
  const out = new Float64Array(n * outputDim);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < outputDim; c++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += (rows[i * d + j]! - mean[j]!) * components[c * d + j]!;
      out[i * outputDim + c] = sum;
    }
  }
  return out;
}

/**
 * Eigenvalues and eigenvectors (as columns of `vectors`) of a symmetric
 * d × d matrix, by cyclic Jacobi rotations.
 */
function symmetricEigen(
  matrix: Float64Array,
  d: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const vectors = new Float64Array(d * d);
  for (let i = 0; i < d; i++) vectors[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) offDiagonal += a[p * d + q]! ** 2;
    if (offDiagonal < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = vectors[k * d + p]!;
          const vkq = vectors[k * d + q]!;
          vectors[k * d + p] = c * vkp - s * vkq;
          vectors[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i]!;
  return { values, vectors };
}

/**
 * The total variance of the first `n` rows: the sum over the `d` features of
 * each one's variance (n − 1 in the denominator), what "variance explained"
 * is a fraction of.
 */
export function totalVariance(rows: Float32Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = 0; i < n; i++) {
      const value = rows[i * d + j]!;
      sum += value;
      sumOfSquares += value * value;
    }
    total += n > 1 ? (sumOfSquares - (sum * sum) / n) / (n - 1) : 0;
  }
  return total;
}
