import assert from "node:assert/strict";
import { loadBackend } from "../core/backend.ts";
import { ConfigError } from "../core/config_error.ts";
import { useFastMatMul } from "../core/_fast_matmul.ts";

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
