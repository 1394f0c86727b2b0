/**
 * Welch's t interval for the difference of two means: what tells a change of
 * configuration apart from the noise between training seeds. Given the
 * replicates' values of a metric under A and under B, it gives B − A's mean
 * difference with a 95% interval that does not assume the two spreads are
 * equal (Welch–Satterthwaite degrees of freedom), and whether that interval
 * excludes 0.
 *
 * Student's t quantile is computed here, from the regularized incomplete beta
 * function (a continued fraction evaluated by Lentz's method), rather than
 * taken from a library. stdlib's `@stdlib/stats-base-dists-t-quantile`
 * serves, but measured on 2026-12-02 it brings 228 packages into deno.lock,
 * `debug` among them, which reads the environment when imported; these
 * sixty lines agree with SciPy's `t.ppf` to 1e-12 over the degrees of
 * freedom replicates give (1 to 200; see tests/welch_test.ts).
 *
 * @example
 * ```ts
 * import { welchInterval } from "./welch.ts";
 *
 * const { delta, low, high, beyondNoise } = welchInterval([0.678, 0.624, 0.722], [0.70, 0.73, 0.69, 0.71]);
 * if (Math.abs(delta - 0.032833) > 1e-6 || beyondNoise || !(low < 0 && high > 0)) {
 *   throw new Error(`${delta} [${low}, ${high}]`);
 * }
 * ```
 *
 * @module
 */

/** B − A with its confidence interval. */
export interface WelchInterval {
  /** mean(B) − mean(A). */
  readonly delta: number;
  /** The interval's ends. */
  readonly low: number;
  readonly high: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** True when the interval excludes 0: the difference is beyond seed noise. */
  readonly beyondNoise: boolean;
}

/**
 * Welch's confidence interval for mean(b) − mean(a).
 *
 * @param a the values under A (at least 2)
 * @param b the values under B (at least 2)
 * @param level the confidence level (0.95 by default)
 * @returns the difference, its interval and degrees of freedom
 * @throws {RangeError} when a side has fewer than 2 values, or the level is not in (0, 1)
 */
export function welchInterval(
  a: readonly number[],
  b: readonly number[],
  level = 0.95,
): WelchInterval {
  if (a.length < 2 || b.length < 2) {
    throw new RangeError(
      `Welch's interval needs at least 2 values on each side: got ${a.length} and ${b.length}`,
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`The confidence level must be in (0, 1): got ${level}`);
  }
  const varianceA = sampleVariance(a) / a.length;
  const varianceB = sampleVariance(b) / b.length;
  const delta = mean(b) - mean(a);
  const standardError = Math.sqrt(varianceA + varianceB);
  if (standardError === 0) {
    // No spread on either side: the difference is exact.
    return { delta, low: delta, high: delta, df: Infinity, beyondNoise: delta !== 0 };
  }
  const df = (varianceA + varianceB) ** 2 /
    (varianceA ** 2 / (a.length - 1) + varianceB ** 2 / (b.length - 1));
  const half = studentTQuantile(0.5 + level / 2, df) * standardError;
  const low = delta - half;
  const high = delta + half;
  return { delta, low, high, df, beyondNoise: low > 0 || high < 0 };
}

/** The arithmetic mean. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** The sample variance (n − 1 in the denominator); 0 for fewer than 2 values. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const centre = mean(values);
  let sum = 0;
  for (const value of values) sum += (value - centre) ** 2;
  return sum / (values.length - 1);
}

/**
 * The p-quantile of Student's t distribution with `df` degrees of freedom
 * (p > 0.5), found by bisection on the distribution function.
 *
 * @param p the probability, in (0.5, 1)
 * @param df degrees of freedom, > 0
 * @returns t such that P(T ≤ t) = p
 */
export function studentTQuantile(p: number, df: number): number {
  let low = 0;
  let high = 1;
  while (studentTUpper(high, df) > 1 - p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-14 * high; i++) {
    const middle = (low + high) / 2;
    if (studentTUpper(middle, df) > 1 - p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** P(T > t) for t ≥ 0 (beyond 10⁶ degrees of freedom, t is normal to 1e-6). */
function studentTUpper(t: number, df: number): number {
  const nu = Math.min(df, 1e6);
  return 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
}

/** The regularized incomplete beta function I_x(a, b). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return front * betaFraction(x, a, b) / a;
  return 1 - front * betaFraction(1 - x, b, a) / b;
}

/** The continued fraction of the incomplete beta function, by Lentz's method. */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - (a + b) * x / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let delta = 1;
    for (
      const term of [
        m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
        -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)),
      ]
    ) {
      d = 1 + term * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + term / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      delta = d * c;
      result *= delta;
    }
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return result;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: about 15 significant digits). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = lanczos[0]!;
  for (let i = 1; i < lanczos.length; i++) sum += lanczos[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const lanczos = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];
