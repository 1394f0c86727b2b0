import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { ConfigError } from "../config/config_error.ts";
import { parseIdx, readIdxFile } from "../data/idx.ts";
import { temporaryFolder } from "./_temp.ts";

/** An IDX file: magic 00 00 type rank, big-endian dimensions, then `body`. */
function idxBytes(typeCode: number, shape: number[], body: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header.set([0, 0, typeCode, shape.length]);
  shape.forEach((dim, axis) => view.setUint32(4 + 4 * axis, dim, false));
  return new Uint8Array([...header, ...body]);
}

Deno.test("parseIdx() reads unsigned-byte images with their shape", () => {
  const idx = parseIdx(
    idxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]),
    "x",
  );
  assert.equal(idx.type, "uint8");
  assert.deepEqual(idx.shape, [2, 2, 3]);
  assert.deepEqual([...idx.data], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
});

Deno.test("parseIdx() reads big-endian int32, int16, float32 and float64 values", () => {
  const int32 = parseIdx(idxBytes(0x0c, [2], [0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe]), "x");
  assert.equal(int32.type, "int32");
  assert.deepEqual([...int32.data], [258, -2]);
  const int16 = parseIdx(idxBytes(0x0b, [1], [0x80, 0x00]), "x");
  assert.deepEqual([...int16.data], [-32768]);
  const float32 = parseIdx(idxBytes(0x0d, [1], [0x3f, 0xc0, 0, 0]), "x");
  assert.deepEqual([...float32.data], [1.5]);
  const float64 = parseIdx(idxBytes(0x0e, [1], [0xc0, 0x04, 0, 0, 0, 0, 0, 0]), "x");
  assert.deepEqual([...float64.data], [-2.5]);
  const int8 = parseIdx(idxBytes(0x09, [2], [0xff, 0x7f]), "x");
  assert.deepEqual([...int8.data], [-1, 127]);
});

Deno.test("parseIdx() rejects a wrong magic number, naming the file and the expected header", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.throws(() => parseIdx(png, "'load.trainImages' file /d/digits.png"), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(
      error.message,
      /^'load.trainImages' file \/d\/digits.png is not an IDX file: its magic number is 0x89504e47; expected an IDX header 00 00 TT DD/,
    );
    return true;
  });
  assert.throws(() => parseIdx(idxBytes(0x07, [1], [0]), "f"), /magic number is 0x00000701/);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 8]), "f"), /only 3 bytes long/);
});

Deno.test("parseIdx() rejects a truncated file, saying how many bytes the header promises", () => {
  const bytes = idxBytes(0x08, [3, 2, 2], new Array(12).fill(7));
  assert.throws(
    () => parseIdx(bytes.subarray(0, bytes.length - 1), "'load.testImages' file t.idx"),
    (error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        "'load.testImages' file t.idx is truncated: its header declares uint8 values of shape " +
          "3×2×2, which take 28 bytes, but the file has 27",
      );
      return true;
    },
  );
  assert.throws(
    () => parseIdx(bytes.subarray(0, 10), "f"),
    /f is truncated: its 3-dimensional IDX header needs 16 bytes, the file has 10/,
  );
  const longer = new Uint8Array([...bytes, 0]);
  assert.throws(() => parseIdx(longer, "f"), /f has trailing bytes/);
});

Deno.test("readIdxFile() reads plain and gzip-compressed files alike", async () => {
  using temporaryDir = temporaryFolder("encluster-idx-");
  const dir = temporaryDir.path;
  try {
    const bytes = idxBytes(0x08, [3], [5, 0, 9]);
    await Deno.writeFile(`${dir}/labels`, bytes);
    await Deno.writeFile(`${dir}/labels.gz`, gzipSync(bytes));
    for (const name of ["labels", "labels.gz"]) {
      const idx = await readIdxFile(`${dir}/${name}`, "'load.trainLabels'");
      assert.deepEqual([...idx.data], [5, 0, 9], name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readIdxFile() names the field and the path of a missing file, a folder or bad gzip", async () => {
  using temporaryDir = temporaryFolder("encluster-idx-");
  const dir = temporaryDir.path;
  try {
    await assert.rejects(readIdxFile(`${dir}/nope.gz`, "'load.trainImages'"), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        `'load.trainImages' names ${dir}/nope.gz, which does not exist; expected the path of ` +
          "an IDX file (plain or .gz), such as train-images-idx3-ubyte.gz",
      );
      return true;
    });
    await assert.rejects(readIdxFile(dir, "'load.trainImages'"), /which is a folder/);
    const compressed = gzipSync(idxBytes(0x08, [1000], new Array(1000).fill(3)));
    await Deno.writeFile(`${dir}/cut.gz`, compressed.subarray(0, compressed.length - 10));
    await assert.rejects(readIdxFile(`${dir}/cut.gz`, "'load.testLabels'"), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(
        error.message,
        /^'load.testLabels' names .*cut.gz, a gzip file that cannot be decompressed \(.+\); it may be truncated/,
      );
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
