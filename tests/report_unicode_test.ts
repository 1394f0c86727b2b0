/**
 * Label names outside ASCII, as a folder data set names them ("猫", "Ωmega",
 * "café"): they reach the report's HTML as UTF-8 text and the PNG figures as
 * glyphs, not as the boxes a font without them leaves. The images are drawn
 * here with sharp; the pipeline is the real one, on the tiny configuration.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runTinyPipeline } from "./_commands.ts";
import { rasterise } from "../report/rasterise.ts";
import { svgDocument, svgText } from "../report/figures/_svg.ts";
import { temporaryFolder } from "./_temp.ts";

const LABELS = ["猫", "Ωmega", "café"];

/** 20 images per label: a bar across, a bar down, or a ring, with some noise. */
async function writeFolderDataset(folder: string): Promise<void> {
  const { default: sharp } = await import("sharp");
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (const [label, name] of LABELS.entries()) {
    Deno.mkdirSync(join(folder, name), { recursive: true });
    for (let image = 0; image < 20; image++) {
      const pixels = new Uint8Array(28 * 28);
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const radius = Math.hypot(x - 14, y - 14);
          const on = label === 0
            ? Math.abs(y - 14) < 4
            : label === 1
            ? Math.abs(x - 14) < 4
            : Math.abs(radius - 9) < 2.5;
          pixels[y * 28 + x] = Math.min(255, (on ? 200 : 0) + Math.floor(noise() * 55));
        }
      }
      await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).png()
        .toFile(join(folder, name, `${image}.png`));
    }
  }
}

/**
 * Whether `character`, drawn in the figures' font, came out as the box
 * Pango draws for a glyph no installed font has: a frame, whose four sides
 * are solid lines along the whole extent of the ink.
 */
async function drawnAsMissingGlyph(character: string): Promise<boolean> {
  const { default: sharp } = await import("sharp");
  const png = await rasterise(svgDocument(120, 120, svgText(20, 90, character, { size: 80 })));
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const inked = (x: number, y: number) => data[y * info.width + x]! < 128;
  let [left, right, top, bottom] = [info.width, -1, info.height, -1];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (!inked(x, y)) continue;
      [left, right] = [Math.min(left, x), Math.max(right, x)];
      [top, bottom] = [Math.min(top, y), Math.max(bottom, y)];
    }
  }
  assert.ok(bottom >= 0, `${character} drew something`);
  const solid = (length: number, at: (i: number) => boolean) => {
    let count = 0;
    for (let i = 0; i < length; i++) if (at(i)) count++;
    return count >= 0.95 * length;
  };
  const [width, height] = [right - left + 1, bottom - top + 1];
  return solid(height, (i) => inked(left, top + i) || inked(left + 1, top + i)) &&
    solid(height, (i) => inked(right, top + i) || inked(right - 1, top + i)) &&
    solid(width, (i) => inked(left + i, top) || inked(left + i, top + 1)) &&
    solid(width, (i) => inked(left + i, bottom) || inked(left + i, bottom - 1));
}

Deno.test("drawnAsMissingGlyph() tells a missing glyph's box from a letter", async () => {
  assert.equal(await drawnAsMissingGlyph("\u{10FFFD}"), true, "a private-use code point");
  for (const letter of ["é", "m"]) assert.equal(await drawnAsMissingGlyph(letter), false);
});

Deno.test("the figures draw every character of these label names with a real glyph", async () => {
  for (const character of new Set(LABELS.join(""))) {
    assert.equal(
      await drawnAsMissingGlyph(character),
      false,
      `'${character}' (U+${character.codePointAt(0)!.toString(16).toUpperCase()}) is drawn as ` +
        "a box: no installed font has it (.ci/run installs fonts-dejavu-core and " +
        "fonts-droid-fallback)",
    );
  }
});

Deno.test("a folder data set's label names outside ASCII reach the report as UTF-8 text", async () => {
  using temporaryRoot = temporaryFolder("encluster-unicode-");
  const root = temporaryRoot.path;
  try {
    const folder = join(root, "images");
    await writeFolderDataset(folder);
    const artifacts = join(root, "artifacts");
    const result = await runTinyPipeline(
      artifacts,
      "--set",
      "load.dataset=folder",
      "--set",
      `load.folder=${folder}`,
      "--set",
      "cluster.k=3",
      "--export",
      join(root, "export"),
    );
    assert.equal(result.code, 0, result.stderr);
    const bytes = Deno.readFileSync(join(artifacts, "report.html"));
    const html = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    assert.match(html, /<meta charset="utf-8">/);
    for (const name of LABELS) {
      assert.ok(html.includes(`<th scope="col" data-label="${LABELS.indexOf(name)}"`), name);
      assert.ok(html.includes(`>${name}</th>`), `${name} heads its contingency column`);
      assert.ok(html.includes(JSON.stringify(name)), `${name} is among the explorer's labels`);
    }
    assert.doesNotMatch(html, /0\.6989/, "no comparison with the MNIST post");
    assert.match(html, /<td>data<\/td><td class="value">dataset &#34;folder&#34;/);
    assert.match(html, /<td>data files<\/td><td class="digest">60 files; sha256/);
    const exported = [...Deno.readDirSync(join(root, "export"))].map((entry) => entry.name);
    assert.ok(exported.includes("contingency.png"));
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
