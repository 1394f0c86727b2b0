import assert from "node:assert/strict";
import { decodeNpy, encodeNpy, readNpy, writeNpy } from "../data/npy.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import { temporaryFolder } from "./_temp.ts";

const examples: Tensor[] = [
  tensor("float32", [2, 3], new Float32Array([0.5, -1.25, 3e-8, 1e30, -0, 1 / 3])),
  tensor("int32", [5], new Int32Array([-1, 0, 7, 2147483647, -2147483648])),
  tensor("uint8", [2, 2, 2], new Uint8Array([0, 1, 2, 3, 252, 253, 254, 255])),
  tensor("float32", [0, 3], new Float32Array(0)),
];

Deno.test("decodeNpy() reads back the dtype, shape and values encodeNpy() wrote", () => {
  for (const original of examples) {
    const decoded = decodeNpy(encodeNpy(original));
    assert.equal(decoded.dtype, original.dtype);
    assert.deepEqual(decoded.shape, original.shape);
    assert.deepEqual([...decoded.data], [...original.data]);
  }
});

Deno.test("encodeNpy() writes a version 1.0 header that ends in a newline at a multiple of 64", () => {
  const bytes = encodeNpy(tensor("int32", [3], new Int32Array([1, 2, 3])));
  assert.deepEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const headerLength = bytes[8]! + 256 * bytes[9]!;
  assert.equal((10 + headerLength) % 64, 0);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  assert.match(header, /^\{'descr': '<i4', 'fortran_order': False, 'shape': \(3,\), \} *\n$/);
  assert.equal(bytes.length, 10 + headerLength + 12);
});

Deno.test("decodeNpy() rejects a truncated file and an unsupported dtype", () => {
  const bytes = encodeNpy(tensor("float32", [4], new Float32Array(4)));
  assert.throws(() => decodeNpy(bytes.subarray(0, bytes.length - 2)), /does not match its header/);
  const float64 = bytes.slice();
  float64.set(new TextEncoder().encode("<f8"), 10 + "{'descr': '".length);
  assert.throws(() => decodeNpy(float64), /Unsupported .npy dtype '<f8'/);
});

Deno.test("readNpy() reads back what writeNpy() wrote to a file", async () => {
  using temporaryDir = temporaryFolder("encluster-npy-");
  const dir = temporaryDir.path;
  try {
    for (const [index, example] of examples.entries()) {
      await writeNpy(`${dir}/${index}.npy`, example);
      const back = await readNpy(`${dir}/${index}.npy`);
      assert.deepEqual(back.shape, example.shape);
      assert.deepEqual([...back.data], [...example.data]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** True when python3 can import numpy; the numpy check is skipped otherwise. */
function numpyAvailable(): boolean {
  try {
    return new Deno.Command("python3", { args: ["-c", "import numpy"], stderr: "null" })
      .outputSync().success;
  } catch {
    return false; // no python3, or no --allow-run
  }
}

Deno.test({
  name: "writeNpy() writes files numpy.load reads with the same dtype, shape and values",
  ignore: !numpyAvailable(),
  async fn() {
    using temporaryDir = temporaryFolder("encluster-npy-");
    const dir = temporaryDir.path;
    try {
      const names = ["f32", "i32", "u8", "empty"];
      for (const [index, example] of examples.entries()) {
        await writeNpy(`${dir}/${names[index]}.npy`, example);
      }
      const script = `
import json, sys, numpy as np
out = {}
for name in sys.argv[2:]:
    a = np.load(f"{sys.argv[1]}/{name}.npy")
    out[name] = {"dtype": str(a.dtype), "shape": list(a.shape), "values": [float(v) for v in a.ravel()]}
print(json.dumps(out))`;
      const output = await new Deno.Command("python3", { args: ["-c", script, dir, ...names] })
        .output();
      assert.ok(output.success, `numpy.load failed: ${new TextDecoder().decode(output.stderr)}`);
      const loaded = JSON.parse(new TextDecoder().decode(output.stdout));
      for (const [index, example] of examples.entries()) {
        const name = names[index]!;
        assert.equal(loaded[name].dtype, example.dtype, name);
        assert.deepEqual(loaded[name].shape, example.shape, name);
        assert.deepEqual(loaded[name].values, [...example.data], name);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
