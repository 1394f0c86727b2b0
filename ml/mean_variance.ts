/**
 * The mean over features of each feature's variance: the scale that
 * k-means' and the Gaussian mixture's tolerances are relative to, as in
 * scikit-learn.
 *
 * @param points row-major, `points.length / dim` rows
 * @param dim features per row
 * @returns the mean variance (0 for constant data)
 */
export function meanVariance(points: Float32Array, dim: number): number {
  const pointCount = points.length / dim;
  const sums = new Float64Array(dim);
  const squares = new Float64Array(dim);
  for (let row = 0; row < pointCount; row++) {
    for (let i = 0; i < dim; i++) {
      const value = points[row * dim + i]!;
      sums[i] = sums[i]! + value;
      squares[i] = squares[i]! + value * value;
    }
  }
  let total = 0;
  for (let i = 0; i < dim; i++) {
    const mean = sums[i]! / pointCount;
    total += Math.max(0, squares[i]! / pointCount - mean * mean);
  }
  return total / dim;
}
