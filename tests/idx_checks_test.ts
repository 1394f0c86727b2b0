/**
 * The checks of IDX files that the preflight makes before anything runs:
 * the header read without the values, and the label rule (0..65535, or -1
 * for an unlabelled image).
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { ConfigError } from "../config/config_error.ts";
import { parseIdx, readIdxHeader } from "../data/idx.ts";
import { checkIdxLabels } from "../stages/_idx_checks.ts";
import { temporaryFolder } from "./_temp.ts";

function idxBytes(typeCode: number, shape: number[], body: number[]): Uint8Array {
  const header = [0, 0, typeCode, shape.length];
  for (const dim of shape) {
    header.push(dim >>> 24, (dim >>> 16) & 255, (dim >>> 8) & 255, dim & 255);
  }
  return new Uint8Array([...header, ...body]);
}

async function withFile(bytes: Uint8Array, work: (path: string) => Promise<void>): Promise<void> {
  using temporaryDir = temporaryFolder("encluster-idx-checks-");
  const dir = temporaryDir.path;
  try {
    const path = join(dir, "file.idx");
    await Deno.writeFile(path, bytes);
    await work(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readIdxHeader() gives the type and shape of plain and gzip files", async () => {
  const bytes = idxBytes(0x08, [3, 2, 2], new Array(12).fill(7));
  for (const file of [bytes, gzipSync(bytes)]) {
    await withFile(file, async (path) => {
      assert.deepEqual(await readIdxHeader(path, "'load.trainImages'"), {
        type: "uint8",
        shape: [3, 2, 2],
      });
    });
  }
});

Deno.test("readIdxHeader() rejects a file shorter than its header declares, gzip or not", async () => {
  const bytes = idxBytes(0x08, [3, 2, 2], new Array(11).fill(7));
  for (const file of [bytes, gzipSync(bytes)]) {
    await withFile(file, async (path) => {
      await assert.rejects(
        readIdxHeader(path, "'load.trainImages'"),
        (error: Error) =>
          error instanceof ConfigError &&
          /^'load.trainImages' file .*file.idx is truncated: its header declares uint8 values of shape 3×2×2, which take 28 bytes, but the file has 27$/
            .test(error.message),
      );
    });
  }
});

Deno.test("readIdxHeader() rejects an empty file and a missing one, naming the setting", async () => {
  await withFile(new Uint8Array(0), async (path) => {
    await assert.rejects(readIdxHeader(path, "'load.testImages'"), /only 0 bytes long/);
    await assert.rejects(
      readIdxHeader(`${path}.missing`, "'load.testImages'"),
      /^ConfigError: 'load.testImages' names .*missing, which does not exist/,
    );
  });
});

Deno.test("checkIdxLabels() accepts -1 (unlabelled) and 65535, and rejects -2 and 65536", () => {
  const check = (values: number[]) =>
    checkIdxLabels(
      parseIdx(idxBytes(0x0c, [values.length], values.flatMap(int32Bytes)), "labels"),
      "labels.idx",
      "'load.trainLabels'",
      values.length,
      "images.idx",
      "'load.trainImages'",
    );
  check([0, -1, 65_535]);
  assert.throws(
    () => check([0, 1, -2]),
    /^ConfigError: 'load.trainLabels' file labels.idx: label 2 \(counting from 0\) is -2: expected an integer in 0..65535, or -1 for an unlabelled image$/,
  );
  assert.throws(() => check([65_536]), /label 0 \(counting from 0\) is 65536/);
});

function int32Bytes(value: number): number[] {
  return [value >>> 24 & 255, value >>> 16 & 255, value >>> 8 & 255, value & 255];
}
