import assert from "node:assert/strict";
import { loadBackend } from "../nn/backend.ts";
import { ConfigError } from "../config/config_error.ts";
import { swappingIsCheaper, useFastMatMul } from "../nn/_fast_matmul.ts";

Deno.test("loadBackend('auto') logs one line naming the backend it chose and why", async () => {
  const lines: string[] = [];
  const { tf, name, reason } = await loadBackend("auto", (line) => lines.push(line));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, new RegExp(`^backend: ${name}`));
  assert.equal(tf.getBackend(), name);
  if (name !== "tensorflow") assert.match(reason, /tfjs-node did not load: /);
});

Deno.test("loadBackend() refuses a backend that cannot load with a ConfigError naming it", async () => {
  const { name } = await loadBackend("auto");
  // Only testable where tfjs-node's native library is missing (as on these machines).
  if (name === "tensorflow") return;
  await assert.rejects(
    () => loadBackend("tensorflow"),
    (error: unknown) =>
      error instanceof ConfigError && /'backend' is 'tensorflow'/.test(error.message) &&
      /backend=auto/.test(error.message),
  );
});

Deno.test("useFastMatMul() computes a product with a large right operand as (Bᵀ·Aᵀ)ᵀ, bit for bit the stock product", async () => {
  const { tf } = await loadBackend("wasm");
  // A training step's x·W: few rows against a large, freshly updated weight matrix.
  const shapes: [number, number, number][] = [[32, 784, 784], [7, 203, 97]];
  for (const [rows, inner, columns] of shapes) {
    assert.ok(swappingIsCheaper([rows, inner], [inner, columns], false, false));
    const a = tf.randomUniform([rows, inner], -1, 1, "float32", rows);
    const b = tf.randomUniform([inner, columns], -1, 1, "float32", columns);
    useFastMatMul(tf, false);
    const stock = tf.matMul(a, b);
    useFastMatMul(tf, true);
    const fast = tf.matMul(a, b);
    assert.deepEqual(fast.shape, stock.shape);
    assert.deepEqual(fast.dataSync(), stock.dataSync());
    tf.dispose([a, b, stock, fast]);
  }
  // Many rows against the same weights (encoding): packing the weights is the cheaper way.
  assert.equal(swappingIsCheaper([10000, 784], [784, 784], false, false), false);
});

Deno.test("loadBackend('cpu') and loadBackend('wasm') switch tfjs's active backend", async () => {
  assert.equal((await loadBackend("cpu")).tf.getBackend(), "cpu");
  assert.equal((await loadBackend("wasm")).tf.getBackend(), "wasm");
});

Deno.test("useFastMatMul() gives the stock wasm kernel's products for transposed operands", async () => {
  const { tf } = await loadBackend("wasm");
  const cases: [number[], number[], boolean, boolean][] = [
    [[37, 50], [50, 23], false, false],
    [[50, 37], [50, 23], true, false],
    [[37, 50], [23, 50], false, true],
    [[50, 37], [23, 50], true, true],
    [[3, 50, 37], [3, 23, 50], true, true], // batched
  ];
  let seed = 1;
  for (const [shapeA, shapeB, transposeA, transposeB] of cases) {
    const a = tf.randomUniform(shapeA, -1, 1, "float32", seed++);
    const b = tf.randomUniform(shapeB, -1, 1, "float32", seed++);
    useFastMatMul(tf, false);
    const stock = tf.matMul(a, b, transposeA, transposeB);
    useFastMatMul(tf, true);
    const fast = tf.matMul(a, b, transposeA, transposeB);
    assert.deepEqual(fast.shape, stock.shape);
    const expected = stock.dataSync();
    const actual = fast.dataSync();
    for (let i = 0; i < expected.length; i++) {
      assert.ok(
        Math.abs(actual[i]! - expected[i]!) <= 1e-5,
        `${shapeA}·${shapeB} (${transposeA}, ${transposeB}) differs at ${i}`,
      );
    }
    tf.dispose([a, b, stock, fast]);
  }
  // The transposed copies are freed: the backend holds no more data than before.
  const backend = tf.engine().backend;
  const before = backend.numDataIds();
  const x = tf.ones([8, 4]);
  tf.matMul(x, x, true, false).dispose();
  tf.matMul(x, x, false, true).dispose();
  x.dispose();
  assert.equal(backend.numDataIds(), before);
});

Deno.test("loadBackend('auto') called several times at once settles on the same backend each time", async () => {
  // Replicates resolve their stages' backend at once; concurrent loads once raced on
  // tfjs's global backend and marked wasm as failed.
  const loaded = await Promise.all([1, 2, 3, 4].map(() => loadBackend("auto")));
  assert.equal(new Set(loaded.map((backend) => backend.name)).size, 1);
  assert.notEqual(loaded[0]!.name, "cpu");
});
