/**
 * The report as a reader uses it, in Debian's Chromium: three runs of the
 * tiny pipeline in one store (k = 10, then k = 12 twice), then
 *
 * - the runs index lists the three runs, with cluster.k as a column, and
 *   sorts by it when its header is clicked;
 * - the cached third run adds no second report page: its own page leads to
 *   the second run's;
 * - a run's page opens its report, whose scatter turns when dragged, shows a
 *   tooltip with the image, its reconstruction and its label on hover, and
 *   shows a contingency cell's points (or a cluster's) when clicked;
 * - the report asks the network for nothing.
 *
 * With ENCLUSTER_SCREENSHOT=1 it also writes the screenshot README shows, docs/report.png.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { chromiumPresent, openBrowser, warnWithoutChromium } from "./_browser.ts";
import { runTinyPipeline } from "./_commands.ts";
import { temporaryFolder } from "./_temp.ts";

warnWithoutChromium("report_browser_test");

// README's screenshot is refreshed only when asked (ENCLUSTER_SCREENSHOT=1), so a test run leaves
// the checkout as it was.
const SCREENSHOT = new URL("../docs/report.png", import.meta.url).pathname;
const refreshScreenshot = Deno.env.get("ENCLUSTER_SCREENSHOT") === "1";

interface RunOutput {
  run: string;
  stages: { name: string; status: string }[];
}

async function pipeline(artifacts: string, ...args: string[]): Promise<RunOutput> {
  const result = await runTinyPipeline(artifacts, ...args);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** The report page a run's own page in reports/ leads to. */
function pageOf(artifacts: string, run: string): string {
  const stub = Deno.readTextFileSync(join(artifacts, "reports", `${run}.html`));
  const match = stub.match(/url=(pages\/[0-9a-f]{64}\.html)/);
  assert.ok(match, stub);
  return match[1]!;
}

/** The ten label colours of the figures and the explorer (report/figures/_colours.ts). */
const LABEL_COLOURS = [
  0x1f77b4,
  0xff7f0e,
  0x2ca02c,
  0xd62728,
  0x9467bd,
  0x8c564b,
  0xe377c2,
  0x7f7f7f,
  0xbcbd22,
  0x17becf,
].map((rgb) => [rgb >> 16, (rgb >> 8) & 255, rgb & 255]);

/**
 * Viewport coordinates of up to ten points drawn in the plot: pixels of a
 * label colour in a screenshot, outside the legend, spread over the cloud.
 */
async function drawnPoints(
  page: Page,
  box: { x: number; y: number; width: number; height: number },
): Promise<[number, number][]> {
  const { default: sharp } = await import("sharp");
  const legend = await page.$eval("#explorer-plot .legend", (element) => {
    const bounds = element.getBoundingClientRect();
    return { left: bounds.left, right: bounds.right, top: bounds.top, bottom: bounds.bottom };
  });
  const shot = await page.screenshot({ captureBeyondViewport: false });
  const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({
    resolveWithObject: true,
  });
  const colourAt = (x: number, y: number) =>
    LABEL_COLOURS.findIndex(([r, g, b]) => {
      const at = 3 * (y * info.width + x);
      return Math.abs(data[at]! - r!) + Math.abs(data[at + 1]! - g!) +
          Math.abs(data[at + 2]! - b!) < 24;
    });
  const found: [number, number][] = [];
  const [top, bottom] = [
    Math.max(1, Math.ceil(box.y)),
    Math.min(info.height - 1, box.y + box.height),
  ];
  const [left, right] = [
    Math.max(1, Math.ceil(box.x)),
    Math.min(info.width - 1, box.x + box.width),
  ];
  for (let y = top; y < bottom; y++) {
    for (let x = left; x < right; x++) {
      if (x >= legend.left && x <= legend.right && y >= legend.top && y <= legend.bottom) continue;
      const colour = colourAt(x, y);
      if (colour >= 0 && colourAt(x + 1, y) === colour && colourAt(x, y + 1) === colour) {
        found.push([x + 0.5, y + 0.5]);
      }
    }
  }
  // Every n-th, so that the tries are spread over the cloud.
  const stride = Math.max(1, Math.floor(found.length / 10));
  return found.filter((_, i) => i % stride === 0).slice(0, 10);
}

Deno.test({
  name: "report: the runs index, one page for a cached re-run, and the interactive scatter in " +
    "Chromium",
  ignore: !chromiumPresent,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    using temporaryArtifacts = temporaryFolder("encluster-browser-");
    const artifacts = temporaryArtifacts.path;
    const first = await pipeline(artifacts);
    const second = await pipeline(artifacts, "--set", "cluster.k=12");
    const third = await pipeline(artifacts, "--set", "cluster.k=12");
    assert.ok(third.stages.every((stage) => stage.status === "cached"));
    const reports = join(artifacts, "reports");

    await t.step("a cached re-run adds a small run page, not a second report", () => {
      assert.equal(pageOf(artifacts, third.run), pageOf(artifacts, second.run));
      assert.notEqual(pageOf(artifacts, first.run), pageOf(artifacts, second.run));
      const pages = [...Deno.readDirSync(join(reports, "pages"))];
      assert.equal(pages.length, 2, "one page each for k = 10 and k = 12");
      assert.ok(Deno.statSync(join(reports, `${third.run}.html`)).size < 2000);
      const page = Deno.readTextFileSync(join(reports, pageOf(artifacts, third.run)));
      assert.equal(Deno.readTextFileSync(join(artifacts, "report.html")), page);
      // The post's purity is for MNIST with the seed's architecture and k = 10.
      assert.doesNotMatch(page, /0\.6989/);
      const firstPage = Deno.readTextFileSync(join(reports, pageOf(artifacts, first.run)));
      assert.match(firstPage, /reports purity 0\.6989/);
      assert.match(page, /<tr class="changed"><td>cluster\.k<\/td><td class="value">12<\/td>/);
      // The cached run's page says when and by which run the model was trained, and how long it took.
      const train = page.match(
        /<tr><td>train<\/td><td>(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC)<\/td><td class="number">([\d.]+)<\/td><td><code>([^<]+)<\/code><\/td>/,
      );
      assert.ok(train, "a row for train with its time, seconds and run");
      assert.equal(train[3], first.run);
      assert.ok(Number(train[2]) > 0);
    });

    const browser = await openBrowser(artifacts);
    const { page } = browser;
    try {
      await page.setViewport({ width: 1280, height: 900 });

      await t.step("the runs index lists the three runs with cluster.k as a column", async () => {
        await page.goto(`file://${join(reports, "index.html")}`);
        const table = await page.$$eval(
          "#runs tr",
          (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? "")),
        );
        const [header, ...rows] = table;
        assert.equal(rows.length, 3);
        const column = header!.indexOf("cluster.k");
        assert.ok(column > 0, `cluster.k among ${header}`);
        assert.ok(!header!.includes("train.epochs"), "only the settings that differ");
        assert.deepEqual(rows.map((row) => row[column]), ["12", "12", "10"], "newest first");
        // Sorting by cluster.k puts the k = 10 run first.
        await page.click(`#runs th[data-column="${column}"]`);
        const sorted = await page.$$eval(
          "#runs tbody tr",
          (rows) => rows.map((row) => row.getAttribute("data-run")),
        );
        assert.equal(sorted[0], first.run);
        const links = await page.$$eval(
          "#runs tbody a",
          (anchors) => anchors.map((anchor) => anchor.getAttribute("href")),
        );
        assert.deepEqual(
          links.sort(),
          [first.run, second.run, third.run].map((run) => `${run}.html`).sort(),
        );
      });

      await t.step("a run's page opens its report, which names the run", async () => {
        await page.goto(`file://${join(reports, `${first.run}.html`)}`);
        await page.waitForSelector('#explorer[data-state="ready"], #explorer[data-state="failed"]');
        assert.match(page.url(), /\/reports\/pages\/[0-9a-f]{64}\.html#run=/);
        assert.equal(
          await page.$eval("#explorer", (element) => element.getAttribute("data-state")),
          "ready",
        );
        assert.equal(
          await page.$eval("#report-run", (element) => element.textContent),
          `run ${first.run}`,
        );
      });

      await page.evaluate(`document.getElementById("explorer").scrollIntoView()`);
      const plot = (await (await page.$("#explorer-plot"))!.boundingBox())!;

      await t.step("dragging the scatter turns the camera", async () => {
        // plotly's live camera: where the eye is, which a drag moves.
        const camera = `JSON.stringify(document.getElementById("explorer-plot")` +
          `._fullLayout.scene._scene.getCamera().eye)`;
        const eye = () => page.evaluate(camera) as Promise<string>;
        const before = await eye();
        const x = plot.x + plot.width / 2;
        const y = plot.y + plot.height / 2;
        await page.mouse.move(x, y);
        await page.mouse.down();
        await page.mouse.move(x + 160, y + 40, { steps: 12 });
        await page.mouse.up();
        await page.waitForFunction(`${camera} !== ${JSON.stringify(before)}`, { timeout: 10_000 });
        assert.notEqual(await eye(), before);
      });

      await t.step(
        "hovering a point shows its image, reconstruction, label and cluster",
        async () => {
          // Where points are drawn: pixels of the label colours in a screenshot of the plot.
          let found = false;
          for (const [x, y] of await drawnPoints(page, plot)) {
            await page.mouse.move(x, y);
            found = await page.waitForFunction(
              `!document.getElementById("explorer-tooltip").hidden && ` +
                `/^\\d+$/.test(document.getElementById("explorer-tooltip").dataset.point)`,
              { timeout: 3_000 },
            ).then(() => true, () => false);
            if (found) break;
          }
          assert.ok(found, "a tooltip appeared over some point");
          const tip = await page.$eval("#explorer-tooltip", (element) => {
            const canvases = [...element.querySelectorAll("canvas")].map((canvas) => {
              const pixels =
                canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height)
                  .data;
              let bright = 0;
              for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! > 128) bright++;
              return { width: canvas.width, bright };
            });
            return {
              canvases,
              label: element.querySelector(".tip-label")?.textContent,
              cluster: element.querySelector(".tip-cluster")?.textContent,
              text: element.textContent,
            };
          });
          assert.equal(tip.canvases.length, 2, "the image and its reconstruction");
          assert.equal(tip.canvases[0]!.width, 28);
          assert.ok(tip.canvases[0]!.bright > 10, "the digit's strokes are drawn");
          assert.match(tip.label ?? "", /^[0-9]$/);
          assert.match(tip.cluster ?? "", /^([0-9]|1[01])$/);
          assert.match(tip.text ?? "", /label \d · cluster \d+/);
          const section = await page.$("#explore");
          await section!.evaluate((element) => element.scrollIntoView());
          if (refreshScreenshot) {
            Deno.mkdirSync(new URL("../docs/", import.meta.url), { recursive: true });
            await page.screenshot({ path: SCREENSHOT as `${string}.png` });
          }
        },
      );

      await t.step("clicking a contingency cell shows exactly that cell's points", async () => {
        const cell = await page.$$eval(
          "table.explorer-contingency td[data-cluster]",
          (cells) =>
            cells.map((cell) => ({
              cluster: cell.getAttribute("data-cluster")!,
              label: cell.getAttribute("data-label")!,
              count: Number(cell.textContent!.replace(/,/g, "")),
            })).sort((a, b) => b.count - a.count)[0]!,
        );
        assert.ok(cell.count > 0);
        await page.click(
          `table.explorer-contingency td[data-cluster="${cell.cluster}"][data-label="${cell.label}"]`,
        );
        await page.waitForSelector(`#explorer[data-selected="${cell.count}"]`, { timeout: 10_000 });
        // plotly's traces: "not selected", one per label shown, then the centroids.
        const traces = await page.evaluate(
          `document.getElementById("explorer-plot").data` +
            `.map((trace) => ({ name: trace.name, points: trace.x.length }))`,
        ) as { name: string; points: number }[];
        // The tiny run shows all 600 training images, so the scatter holds the cell's count.
        const coloured = traces.slice(1, -1);
        assert.deepEqual(coloured, [{ name: cell.label, points: cell.count }]);
        assert.equal(traces[0]!.points, 600 - cell.count, "the others, in grey");
        assert.match(
          await page.$eval("#explorer-status", (element) => element.textContent ?? ""),
          new RegExp(`cluster ${cell.cluster} × label ${cell.label}: ${cell.count} of the 600`),
        );
      });

      await t.step("clicking a decoded centroid shows its cluster, again shows all", async () => {
        const cluster = "0";
        const size = await page.$$eval(
          `table.explorer-contingency td[data-cluster="${cluster}"]`,
          (cells) =>
            cells.reduce((sum, cell) => sum + Number(cell.textContent!.replace(/,/g, "")), 0),
        );
        await page.click(`button.centroid[data-cluster="${cluster}"]`);
        await page.waitForSelector(`#explorer[data-selected="${size}"]`, { timeout: 10_000 });
        assert.ok(
          await page.$eval(
            `button.centroid[data-cluster="${cluster}"]`,
            (button) => button.classList.contains("selected"),
          ),
        );
        await page.click(`button.centroid[data-cluster="${cluster}"]`);
        await page.waitForSelector(`#explorer[data-selected="600"]`, { timeout: 10_000 });
      });

      await t.step("the report asked the network for nothing", () => {
        assert.deepEqual(browser.refused, []);
        assert.deepEqual(browser.errors, []);
      });
    } finally {
      await browser.close();
      await Deno.remove(artifacts, { recursive: true });
    }
  },
});
