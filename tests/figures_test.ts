import assert from "node:assert/strict";
import { rasterise } from "../report/rasterise.ts";
import { scatterFigure } from "../report/figures/scatter.ts";
import type { ScatterInput } from "../report/figures/scatter.ts";
import { imageGridFigure } from "../report/figures/image_grid.ts";
import { heatmapFigure } from "../report/figures/heatmap.ts";
import { lineChartFigure } from "../report/figures/line_chart.ts";
import { clusterCaption, clusterSummaries } from "../report/figures/cluster_summary.ts";
import { applyPca, fitPca } from "../report/figures/_pca.ts";
import { LABEL_PALETTE } from "../report/figures/_colours.ts";
import { Random } from "../ml/random.ts";
import {
  drawRunFigures,
  runFigureCaptions,
  sampleImagesByLabel,
} from "../report/figures/run_figures.ts";

/** A decoded PNG: RGB pixels, row-major. */
interface Raster {
  width: number;
  height: number;
  rgb: Uint8Array;
}

async function decodePng(png: Uint8Array): Promise<Raster> {
  const { default: sharp } = await import("sharp");
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3);
  return { width: info.width, height: info.height, rgb: new Uint8Array(data) };
}

function pixel(raster: Raster, x: number, y: number): [number, number, number] {
  const offset = 3 * (Math.floor(y) * raster.width + Math.floor(x));
  return [raster.rgb[offset]!, raster.rgb[offset + 1]!, raster.rgb[offset + 2]!];
}

/** Variance of all channel values: a blank image has 0. */
function variance(raster: Raster): number {
  let sum = 0;
  let sumOfSquares = 0;
  for (const value of raster.rgb) {
    sum += value;
    sumOfSquares += value * value;
  }
  const n = raster.rgb.length;
  return sumOfSquares / n - (sum / n) ** 2;
}

function hexRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/**
 * The label whose palette colour best matches a pixel's tint over white
 * (cosine of the difference from white), whatever the opacity it was drawn with.
 */
function nearestLabel(rgb: [number, number, number]): number {
  const tint = rgb.map((value) => 255 - value);
  let best = -1;
  let bestScore = -Infinity;
  LABEL_PALETTE.forEach((hex, label) => {
    const reference = hexRgb(hex).map((value) => 255 - value);
    const dot = tint.reduce((sum, value, i) => sum + value * reference[i]!, 0);
    const score = dot / (Math.hypot(...tint) * Math.hypot(...reference) || 1);
    if (score > bestScore) {
      bestScore = score;
      best = label;
    }
  });
  return best;
}

/** The most common nearest label over the 3×3 pixels around (x, y), ignoring white ones. */
function labelAt(raster: Raster, x: number, y: number): number {
  const votes = new Map<number, number>();
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const rgb = pixel(raster, x + dx, y + dy);
      if (Math.min(...rgb) > 235) continue;
      const label = nearestLabel(rgb);
      votes.set(label, (votes.get(label) ?? 0) + 1);
    }
  }
  return [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? -1;
}

/** Ten copies of each point, so the drawn colour is saturated and easy to sample. */
function clumps(
  points: number[][],
  labels: number[],
): { encoding: Float32Array; labels: Int32Array } {
  const copies = 10;
  const d = points[0]!.length;
  const encoding = new Float32Array(points.length * copies * d);
  const out = new Int32Array(points.length * copies);
  points.forEach((point, p) => {
    for (let c = 0; c < copies; c++) {
      encoding.set(point, (p * copies + c) * d);
      out[p * copies + c] = labels[p]!;
    }
  });
  return { encoding, labels: out };
}

function scatterInput(
  overrides:
    & Partial<ScatterInput>
    & Pick<ScatterInput, "encoding" | "encodedDim" | "labels" | "centroids">,
): ScatterInput {
  return { maxPoints: 10_000, elevation: 30, azimuth: -60, size: 400, ...overrides };
}

Deno.test("scatterFigure() puts each 2-d point's label colour at its position, x to the right and y up", async () => {
  const { encoding, labels } = clumps([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 1, 2, 3]);
  const figure = scatterFigure(scatterInput({
    encoding,
    encodedDim: 2,
    labels,
    centroids: new Float32Array([0.5, 0.5]),
  }));
  assert.equal(figure.view, "plane");
  const at = (
    i: number,
  ) => [figure.pointPositions[2 * i * 10]!, figure.pointPositions[2 * i * 10 + 1]!];
  const [x0, y0] = at(0);
  const [x1, y1] = at(1);
  const [x2, y2] = at(2);
  assert.ok(x1! > x0! + 100 && Math.abs(y1! - y0!) < 1, "larger first value is further right");
  assert.ok(y2! < y0! - 100 && Math.abs(x2! - x0!) < 1, "larger second value is higher up");
  const raster = await decodePng(await rasterise(figure.svg));
  for (let label = 0; label < 4; label++) {
    const [x, y] = at(label);
    assert.equal(labelAt(raster, x!, y!), label, `colour at label ${label}'s point`);
  }
  const [cx, cy] = [figure.centroidPositions[0]!, figure.centroidPositions[1]!];
  assert.ok(Math.max(...pixel(raster, cx, cy)) < 60, "the centroid marker is black");
});

Deno.test("scatterFigure() draws a 3-d encoding seen from the given azimuth and elevation", async () => {
  // Label 0 at the origin, 1 along the second axis, 2 along the third, 3 along the first.
  const { encoding, labels } = clumps([[0, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], [0, 1, 2, 3]);
  const centroids = new Float32Array([0.5, 0.5, 0.5]);
  const at = (figure: { pointPositions: Float64Array }, i: number) => [
    figure.pointPositions[2 * i * 10]!,
    figure.pointPositions[2 * i * 10 + 1]!,
  ];

  // Looking down the first axis: the second goes right, the third goes up.
  const front = scatterFigure(
    scatterInput({ encoding, encodedDim: 3, labels, centroids, elevation: 0, azimuth: 0 }),
  );
  assert.equal(front.view, "3d");
  const [ox, oy] = at(front, 0);
  const [ax, ay] = at(front, 1);
  const [bx, by] = at(front, 2);
  assert.ok(ax! > ox! + 50 && Math.abs(ay! - oy!) < 1);
  assert.ok(by! < oy! - 50 && Math.abs(bx! - ox!) < 1);
  const raster = await decodePng(await rasterise(front.svg));
  assert.equal(labelAt(raster, ax!, ay!), 1);
  assert.equal(labelAt(raster, bx!, by!), 2);
  // Label 3 sits in front of label 0 on the same line of sight, so it covers it.
  const [cx, cy] = at(front, 3);
  assert.ok(Math.hypot(cx! - ox!, cy! - oy!) < 1);
  assert.equal(labelAt(raster, ox!, oy!), 3);

  // A quarter turn: the first axis now points left.
  const side = scatterFigure(
    scatterInput({ encoding, encodedDim: 3, labels, centroids, elevation: 0, azimuth: 90 }),
  );
  const [sox] = at(side, 0);
  const [s3x] = at(side, 3);
  assert.ok(s3x! < sox! - 50);
  const sideRaster = await decodePng(await rasterise(side.svg));
  assert.equal(labelAt(sideRaster, ...(at(side, 3) as [number, number])), 3);

  // From above (elevation 90, azimuth -90), the second axis points up the screen.
  const top = scatterFigure(
    scatterInput({ encoding, encodedDim: 3, labels, centroids, elevation: 90, azimuth: -90 }),
  );
  const [, toy] = at(top, 0);
  const [, t1y] = at(top, 1);
  assert.ok(t1y! < toy! - 50);
});

Deno.test("scatterFigure() draws only the first maxPoints points", () => {
  const figure = scatterFigure(scatterInput({
    encoding: new Float32Array([0, 0, 1, 1, 5, 5]),
    encodedDim: 2,
    labels: new Int32Array([0, 1, 2]),
    centroids: new Float32Array([0.5, 0.5]),
    maxPoints: 2,
  }));
  assert.equal(figure.plotted, 2);
  assert.equal(figure.pointPositions.length, 4);
  assert.equal(figure.svg.match(/<circle/g)?.length, 2);
  assert.match(figure.svg, /first 2 of 3 points/);
});

Deno.test("scatterFigure() projects an encoding of more than 3 dimensions on its principal components", async () => {
  const random = new Random(1);
  const n = 300;
  const d = 6;
  const encoding = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < d; j++) {
      encoding[i * d + j] = (j === labels[i]! ? 3 : 0) + 0.05 * random.normal();
    }
  }
  const figure = scatterFigure(
    scatterInput({ encoding, encodedDim: d, labels, centroids: encoding.slice(0, 3 * d) }),
  );
  assert.equal(figure.view, "pca");
  assert.match(figure.svg, /PC1/);
  const raster = await decodePng(await rasterise(figure.svg));
  assert.equal(raster.width, figure.width);
  assert.ok(variance(raster) > 100);
  // The three groups land in three separate places.
  const centre = (label: number) => {
    let x = 0;
    let y = 0;
    for (let i = label; i < n; i += 3) {
      x += figure.pointPositions[2 * i]! / (n / 3);
      y += figure.pointPositions[2 * i + 1]! / (n / 3);
    }
    return [x, y] as const;
  };
  const [a, b, c] = [centre(0), centre(1), centre(2)];
  for (const [p, q] of [[a, b], [b, c], [a, c]] as const) {
    assert.ok(Math.hypot(p[0] - q[0], p[1] - q[1]) > 50);
  }
});

Deno.test("scatterFigure() rejects an encoding that does not match its labels", () => {
  assert.throws(
    () =>
      scatterFigure(scatterInput({
        encoding: new Float32Array(5),
        encodedDim: 2,
        labels: new Int32Array(3),
        centroids: new Float32Array(2),
      })),
    RangeError,
  );
});

Deno.test("fitPca() finds the direction of largest variance, with a fixed sign", () => {
  const random = new Random(7);
  const n = 2000;
  const rows = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    const t = 5 * random.normal();
    const noise = () => 0.1 * random.normal();
    rows.set([0.8 * t + noise(), -0.6 * t + noise(), noise(), 2 + noise()], i * 4);
  }
  const pca = fitPca(rows, n, 4, 2);
  const first = [...pca.components.subarray(0, 4)];
  // The larger entry (0.8) comes out positive, whatever the solver's sign.
  const expected = [0.8, -0.6, 0, 0];
  first.forEach((value, j) =>
    assert.ok(Math.abs(value - expected[j]!) < 0.01, `component ${j}: ${value}`)
  );
  assert.ok(Math.abs(pca.variances[0]! - 25) < 3);
  // Projected values have the mean removed.
  const projected = applyPca(pca, rows, n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += projected[2 * i]! / n;
  assert.ok(Math.abs(mean) < 1e-9);
});

Deno.test("imageGridFigure() draws intensity 1 as black, 0 as white, at imageScale pixels per pixel", async () => {
  const side = 28;
  const images = new Float32Array(2 * side * side);
  images.fill(1, 0, side * side);
  const figure = imageGridFigure({
    images,
    side,
    columns: 2,
    scale: 2,
    title: "one black, one white",
    captions: [["black"], ["white"]],
  });
  const raster = await decodePng(await rasterise(figure.svg));
  assert.equal(raster.width, figure.width);
  assert.equal(raster.height, figure.height);
  let black = 0;
  for (let i = 0; i < raster.rgb.length; i += 3) if (raster.rgb[i]! < 10) black++;
  // Text is drawn in dark grey (#222), never below 10: only the black image counts.
  assert.equal(black, (side * 2) ** 2);
});

Deno.test("imageGridFigure() stretches each image over its own range when values leave [0, 1]", async () => {
  const side = 4;
  const images = new Float32Array(side * side).map((_, i) => (i < 8 ? -3 : 7));
  const figure = imageGridFigure({ images, side, columns: 1, scale: 10, title: "standardised" });
  const raster = await decodePng(await rasterise(figure.svg));
  let black = 0;
  let white = 0;
  for (let i = 0; i < raster.rgb.length; i += 3) {
    if (raster.rgb[i]! < 10) black++;
    if (raster.rgb[i]! > 250) white++;
  }
  assert.equal(black, 8 * 100);
  assert.ok(white > 8 * 100);
});

Deno.test("heatmapFigure() writes every count in its cell and a total per row", async () => {
  const counts = [[5923, 0, 12], [3, 6742, 1]];
  const figure = heatmapFigure({
    counts,
    rowLabels: ["0", "1"],
    columnLabels: ["a", "b", "c"],
    rowTitle: "cluster",
    columnTitle: "true label",
    title: "contingency",
  });
  for (const text of ["5,923", ">0<", ">12<", ">3<", "6,742", ">1<", "5,935", "6,746"]) {
    assert.ok(figure.svg.includes(text.startsWith(">") ? text : `>${text}<`), text);
  }
  const raster = await decodePng(await rasterise(figure.svg));
  assert.equal(raster.width, figure.width);
  assert.equal(raster.height, figure.height);
  assert.ok(variance(raster) > 100);
  assert.throws(
    () =>
      heatmapFigure({
        counts: [[1, 2]],
        rowLabels: ["0"],
        columnLabels: ["a"],
        rowTitle: "",
        columnTitle: "",
        title: "",
      }),
    RangeError,
  );
});

Deno.test("lineChartFigure() draws one vertex per epoch, higher loss higher up", async () => {
  const values = [0.3, 0.25, 0.2, 0.19];
  const figure = lineChartFigure({
    series: [{ name: "loss", values }],
    title: "loss",
    xLabel: "epoch",
    yLabel: "loss",
    width: 500,
    height: 260,
  });
  const vertices = figure.svg.match(/<polyline points="([^"]*)"/)![1]!.split(" ").map((p) =>
    p.split(",").map(Number)
  );
  assert.equal(vertices.length, 4);
  for (let i = 1; i < 4; i++) {
    assert.ok(vertices[i]![0]! > vertices[i - 1]![0]!, "later epochs to the right");
    assert.ok(vertices[i]![1]! > vertices[i - 1]![1]!, "lower loss lower down");
  }
  const raster = await decodePng(await rasterise(figure.svg));
  assert.deepEqual([raster.width, raster.height], [500, 260]);
  assert.ok(variance(raster) > 50);
  const empty = lineChartFigure({
    series: [],
    title: "loss",
    xLabel: "",
    yLabel: "",
    width: 300,
    height: 200,
  });
  assert.match(empty.svg, /no values/);
});

Deno.test("clusterSummaries() gives each cluster's majority label, size and purity", () => {
  const summaries = clusterSummaries([[2, 6, 0], [0, 0, 0], [1, 1, 0]]);
  assert.deepEqual(summaries, [
    { cluster: 0, majorityLabel: 1, size: 8, purity: 0.75 },
    { cluster: 1, majorityLabel: null, size: 0, purity: 0 },
    { cluster: 2, majorityLabel: 0, size: 2, purity: 0.5 },
  ]);
  assert.deepEqual(clusterCaption(summaries[0]!), [
    "cluster 0",
    "mostly 1",
    "8 images",
    "purity 0.75",
  ]);
  assert.deepEqual(clusterCaption(summaries[1]!), ["cluster 1", "no labelled images"]);
});

Deno.test("rasterise() gives byte-identical PNGs for the same figure", async () => {
  const random = new Random(3);
  const n = 2000;
  const encoding = new Float32Array(n * 3).map(() => random.next());
  const labels = new Int32Array(n).map(() => random.int(10));
  const input = scatterInput({ encoding, encodedDim: 3, labels, centroids: encoding.slice(0, 30) });
  const first = await rasterise(scatterFigure(input).svg);
  const second = await rasterise(scatterFigure(input).svg);
  assert.deepEqual(first, second);
  const raster = await decodePng(first);
  assert.deepEqual([raster.width, raster.height], [400 + 120, 400]);
});

Deno.test("drawRunFigures() gives six PNGs of the expected sizes, none blank, the same bytes every time", async () => {
  const random = new Random(11);
  const n = 500;
  const labels = new Int32Array(n).map((_, i) => i % 10);
  const encoding = new Float32Array(n * 3).map((_, i) =>
    labels[Math.floor(i / 3)]! / 10 + 0.02 * random.normal()
  );
  const pixels = 28 * 28;
  const images = (count: number) => new Float32Array(count * pixels).map(() => random.next());
  const table = Array.from(
    { length: 4 },
    (_, c) => Array.from({ length: 10 }, (_, l) => (l % 4 === c ? 50 : 0)),
  );
  const data = {
    labels,
    labelNames: ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    encoding,
    encodedDim: 3,
    centroids: encoding.slice(0, 12),
    decodedCentroids: images(4),
    baselineCentroids: images(4),
    imageSide: 28,
    contingency: { train: table, baseline: table },
    metrics: { purity: 0.5, baseline: { purity: 0.25 } },
    history: { loss: [0.3, 0.2, 0.15] },
    samples: {
      labels: [...Array(10).keys()],
      perLabel: 1,
      originals: images(10),
      reconstructions: images(10),
    },
  };
  const options = { maxPoints: 400, elevation: 30, azimuth: -60, size: 400, imageScale: 2 };
  const first = await drawRunFigures(data, options);
  assert.deepEqual(Object.keys(first.pngs), runFigureCaptions.map(({ name }) => name));
  assert.equal(first.scatterPoints, 400);
  for (const [name, png] of Object.entries(first.pngs)) {
    const raster = await decodePng(png);
    assert.ok(variance(raster) > 100, `${name} is not blank`);
    if (name === "scatter") assert.deepEqual([raster.width, raster.height], [520, 400]);
    if (name === "loss") assert.deepEqual([raster.width, raster.height], [400, 200]);
    // Image grids: at least their images across (2 × 28 pixels each).
    if (name === "centroids") assert.ok(raster.width >= 4 * 56 && raster.height >= 56);
    if (name === "reconstructions") assert.ok(raster.width >= 10 * 56 && raster.height >= 2 * 56);
  }
  const second = await drawRunFigures(data, options);
  for (const { name } of runFigureCaptions) {
    assert.deepEqual(second.pngs[name], first.pngs[name], name);
  }
});

Deno.test("sampleImagesByLabel() takes the first images of each label, slot by slot", () => {
  const labels = new Int32Array([3, 1, 3, 1, 1, 3, 0]);
  assert.deepEqual(sampleImagesByLabel(labels, 2), {
    labels: [0, 1, 3],
    indices: [6, 1, 0, 6, 3, 2],
  });
});
