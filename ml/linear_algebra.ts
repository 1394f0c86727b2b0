/**
 * The dense linear algebra the numeric kernels share, on small row-major
 * `Float64Array` matrices: the Cholesky factorisation of a symmetric
 * positive definite matrix, and the forward substitution that solves with
 * its factor. The Gaussian mixture factors its covariances to evaluate
 * densities; UMAP's spectral start orthonormalises its block by Cholesky QR.
 * One implementation serves both, so a fix to either reaches both.
 *
 * @example
 * ```ts
 * import { choleskyFactor, forwardSubstitution } from "./linear_algebra.ts";
 *
 * // ‖L⁻¹x‖² = xᵀ(LLᵀ)⁻¹x: the squared Mahalanobis norm of x under [[4, 2], [2, 5]].
 * const factor = choleskyFactor(new Float64Array([4, 2, 2, 5]), 2)!;
 * const solved = forwardSubstitution(factor, 2, new Float64Array([2, 1]), new Float64Array(2));
 * if (solved[0]! ** 2 + solved[1]! ** 2 !== 1) throw new Error(`got ${solved}`);
 * ```
 *
 * @module
 */

/**
 * The lower Cholesky factor L of `matrix` + ridge·I, so that L·Lᵀ equals
 * it. Only the lower triangle of `matrix` is read.
 *
 * @param matrix symmetric, `dim` × `dim`, row-major
 * @param dim rows (and columns) of the matrix
 * @param ridge added to the diagonal before factorising
 * @param factor receives L, row-major, zero above the diagonal (a new array unless given)
 * @returns `factor`, or undefined when the matrix (with the ridge) is not
 *   positive definite to working precision or holds a non-finite value
 * @example
 * ```ts
 * import { choleskyFactor } from "./linear_algebra.ts";
 *
 * // [[4, 2], [2, 5]] = L·Lᵀ with L = [[2, 0], [1, 2]].
 * const factor = choleskyFactor(new Float64Array([4, 2, 2, 5]), 2);
 * if (factor?.join() !== "2,0,1,2") throw new Error(`got ${factor}`);
 * if (choleskyFactor(new Float64Array([1, 2, 2, 1]), 2) !== undefined) throw new Error();
 * ```
 */
export function choleskyFactor(
  matrix: Float64Array,
  dim: number,
  ridge = 0,
  factor: Float64Array = new Float64Array(dim * dim),
): Float64Array | undefined {
  factor.fill(0);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = i === j ? matrix[i * dim + i]! + ridge : matrix[i * dim + j]!;
      for (let m = 0; m < j; m++) sum -= factor[i * dim + m]! * factor[j * dim + m]!;
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return undefined;
        factor[i * dim + i] = Math.sqrt(sum);
      } else {
        factor[i * dim + j] = sum / factor[j * dim + j]!;
      }
    }
  }
  return factor;
}

/**
 * Solves L·x = b for x, L lower triangular with a non-zero diagonal (a
 * Cholesky factor). `solution` may be `rhs` itself: the solve then happens
 * in place.
 *
 * @param factor L, row-major `dim` × `dim`, starting at `factorOffset`
 * @param dim rows of L
 * @param rhs b, `dim` values
 * @param solution receives x, `dim` values
 * @param factorOffset where L starts in `factor` (for one of several factors in one array)
 * @returns `solution`
 * @example
 * ```ts
 * import { forwardSubstitution } from "./linear_algebra.ts";
 *
 * // [[2, 0], [1, 2]] · [1, 1] = [2, 3]
 * const x = forwardSubstitution(new Float64Array([2, 0, 1, 2]), 2, [2, 3], new Float64Array(2));
 * if (x.join() !== "1,1") throw new Error(`got ${x}`);
 * ```
 */
export function forwardSubstitution(
  factor: Float64Array,
  dim: number,
  rhs: ArrayLike<number>,
  solution: Float64Array,
  factorOffset = 0,
): Float64Array {
  for (let i = 0; i < dim; i++) {
    const row = factorOffset + i * dim;
    let value = rhs[i]!;
    for (let m = 0; m < i; m++) value -= factor[row + m]! * solution[m]!;
    solution[i] = value / factor[row + i]!;
  }
  return solution;
}
