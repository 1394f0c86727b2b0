import assert from "node:assert/strict";
import { studentTQuantile, welchInterval } from "../ml/welch.ts";

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual}, expected ${expected}`,
  );

Deno.test("welchInterval() gives the interval computed by hand", () => {
  // A: 0.60, 0.64, 0.62 → mean 0.62, sample variance 0.0004, so s²/n = 0.0004/3.
  // B: 0.66, 0.70, 0.68, 0.72 → mean 0.69, variance 0.0020/3, s²/n = 0.0005/3.
  // SE² = 0.0004/3 + 0.0005/3 = 0.0003; df = 0.0003² / ((0.0004/3)²/2 + (0.0005/3)²/3)
  //     = 9e-8 / (8.889e-9 + 9.259e-9) = 4.9592; t(0.975, 4.9592) = 2.57696 (SciPy);
  // delta = 0.07 ± 2.57696 × √0.0003 = 0.07 ± 0.044634 → [0.025366, 0.114634].
  const result = welchInterval([0.6, 0.64, 0.62], [0.66, 0.7, 0.68, 0.72]);
  close(result.delta, 0.07, 1e-12, "delta");
  close(result.df, 4.959183673469388, 1e-9, "df");
  close(result.low, 0.025365770373224253, 1e-9, "low");
  close(result.high, 0.11463422962677576, 1e-9, "high");
  assert.equal(result.beyondNoise, true);
});

Deno.test("welchInterval() says a difference inside the seeds' spread is not beyond noise", () => {
  // Purity of seed.json for seeds 0–2 against a change that moves it by 0.03.
  const result = welchInterval([0.678, 0.624, 0.722], [0.70, 0.73, 0.69, 0.71]);
  assert.ok(result.low < 0 && result.high > 0, `[${result.low}, ${result.high}]`);
  assert.equal(result.beyondNoise, false);
  close(result.low, -0.0773579516317636, 1e-9, "low (SciPy)");
  close(result.high, 0.14302461829843036, 1e-9, "high (SciPy)");
});

Deno.test("welchInterval() refuses a side with one value: one seed cannot tell", () => {
  assert.throws(() => welchInterval([0.7], [0.6, 0.65]), /at least 2 values on each side/);
});

Deno.test("welchInterval() gives an exact difference when neither side varies", () => {
  const result = welchInterval([0.5, 0.5], [0.6, 0.6]);
  close(result.delta, 0.1, 1e-12, "delta");
  assert.equal(result.low, result.high);
  assert.equal(result.beyondNoise, true);
});

Deno.test("studentTQuantile() matches SciPy's t.ppf(0.975, df)", () => {
  const scipy: [number, number][] = [
    [1, 12.706204736174694],
    [1.2, 8.648826510748867],
    [2.5, 3.5746548420036817],
    [4, 2.7764451051977934],
    [7.3, 2.345066736547703],
    [30, 2.0422724563012378],
    [200, 1.9718962236339088],
  ];
  for (const [df, expected] of scipy) {
    close(studentTQuantile(0.975, df), expected, 1e-12 * expected, `df ${df}`);
  }
});
