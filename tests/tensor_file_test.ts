import assert from "node:assert/strict";
import { decodeTensor, encodeTensor, TensorFileError } from "../engine/store/tensor_file.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";

const examples: Tensor[] = [
  tensor("float32", [2, 3], new Float32Array([0.5, -1.25, 3e-8, Infinity, -0, 1 / 3])),
  tensor("int32", [4], new Int32Array([-1, 0, 2147483647, -2147483648])),
  tensor("uint8", [2, 2, 2], new Uint8Array([0, 1, 2, 3, 252, 253, 254, 255])),
  tensor("float32", [0, 784], new Float32Array(0)),
  tensor("int32", [], new Int32Array([42])),
];

Deno.test("decodeTensor() returns the dtype, shape and values encodeTensor() was given", () => {
  for (const original of examples) {
    const decoded = decodeTensor(encodeTensor(original));
    assert.equal(decoded.dtype, original.dtype);
    assert.deepEqual(decoded.shape, original.shape);
    assert.equal(decoded.data.constructor, original.data.constructor);
    assert.deepEqual([...decoded.data], [...original.data]);
  }
});

Deno.test("decodeTensor() keeps NaN and the sign of zero bit for bit", () => {
  const original = tensor("float32", [3], new Float32Array([NaN, -0, 0]));
  const decoded = decodeTensor(encodeTensor(original));
  assert.ok(Number.isNaN(decoded.data[0]));
  assert.ok(Object.is(decoded.data[1], -0));
  assert.ok(Object.is(decoded.data[2], 0));
});

Deno.test("encodeTensor() reads only the view of a sub-array, not its whole buffer", () => {
  const backing = new Int32Array([9, 9, 1, 2, 3, 9]);
  const decoded = decodeTensor(encodeTensor(tensor("int32", [3], backing.subarray(2, 5))));
  assert.deepEqual([...decoded.data], [1, 2, 3]);
});

Deno.test("decodeTensor() reads bytes that start at an unaligned offset", () => {
  const encoded = encodeTensor(tensor("float32", [2], new Float32Array([1.5, -2.5])));
  const shifted = new Uint8Array(encoded.length + 1);
  shifted.set(encoded, 1);
  const decoded = decodeTensor(shifted.subarray(1));
  assert.deepEqual([...decoded.data], [1.5, -2.5]);
});

Deno.test("encodeTensor() writes the header then little-endian values", () => {
  const bytes = encodeTensor(tensor("int32", [1, 2], new Int32Array([1, 256])));
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "ENCT");
  assert.deepEqual([...bytes.subarray(4, 8)], [1, 2, 2, 0]); // version 1, int32, rank 2
  assert.deepEqual([...bytes.subarray(8, 16)], [1, 0, 0, 0, 2, 0, 0, 0]); // dims 1, 2
  assert.deepEqual([...bytes.subarray(16)], [1, 0, 0, 0, 0, 1, 0, 0]);
});

Deno.test("decodeTensor() rejects every truncation of a tensor file", () => {
  const bytes = encodeTensor(tensor("float32", [3, 2], new Float32Array(6).fill(0.25)));
  for (let length = 0; length < bytes.length; length++) {
    assert.throws(
      () => decodeTensor(bytes.subarray(0, length)),
      TensorFileError,
      `length ${length}`,
    );
  }
  assert.throws(
    () => decodeTensor(bytes.subarray(0, bytes.length - 1)),
    /truncated: a float32 tensor of shape \[3,2\] takes 40 bytes, got 39/,
  );
});

Deno.test("decodeTensor() rejects trailing bytes, a wrong magic, version or dtype", () => {
  const bytes = encodeTensor(tensor("uint8", [2], new Uint8Array([1, 2])));
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => decodeTensor(longer), /longer than its header says/);
  const garble = (index: number, value: number) => {
    const copy = bytes.slice();
    copy[index] = value;
    return copy;
  };
  assert.throws(
    () => decodeTensor(garble(0, 0x89)),
    /Not a tensor file: it starts with 89 4e 43 54/,
  );
  assert.throws(() => decodeTensor(garble(4, 2)), /version 2 is not supported/);
  assert.throws(() => decodeTensor(garble(5, 9)), /dtype code 9 is none of/);
  assert.throws(() => decodeTensor(garble(6, 200)), /rank 200 exceeds 32/);
  assert.throws(() => decodeTensor(new TextEncoder().encode('{"json": true}')), TensorFileError);
});

Deno.test("encodeTensor() refuses data that does not fill the shape or match the dtype", () => {
  const short = { dtype: "float32", shape: [2, 2], data: new Float32Array(3) } as const;
  assert.throws(() => encodeTensor(short), /needs 4 values, has 3/);
  const mismatched = { dtype: "int32", shape: [2], data: new Float32Array(2) } as unknown as Tensor;
  assert.throws(() => encodeTensor(mismatched), /int32 tensor whose data is a Float32Array/);
});
