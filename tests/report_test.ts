import assert from "node:assert/strict";
import { reportHtml } from "../report/report_html.ts";
import type { ReportInput } from "../report/report_html.ts";
import { rasterise } from "../report/rasterise.ts";
import { lineChartFigure } from "../report/figures/line_chart.ts";
import { heatmapFigure } from "../report/figures/heatmap.ts";
import { temporaryFolder } from "./_temp.ts";

const CHROMIUM = "/usr/bin/chromium";
const chromiumPresent = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
if (!chromiumPresent) {
  console.warn(
    `report_test: skipping the browser test: ${CHROMIUM} not found ` +
      "(apt-get update && apt-get install -y chromium)",
  );
}

async function sampleInput(): Promise<ReportInput> {
  const loss = lineChartFigure({
    series: [{ name: "loss", values: [0.3, 0.2, 0.18] }],
    title: "Training loss per epoch",
    xLabel: "epoch",
    yLabel: "loss",
    width: 320,
    height: 180,
  });
  const contingency = heatmapFigure({
    counts: [[50, 2], [1, 47]],
    rowLabels: ["0", "1"],
    columnLabels: ["0", "1"],
    rowTitle: "cluster",
    columnTitle: "true label",
    title: "Contingency",
  });
  return {
    runId: "run-7",
    metrics: {
      purity: 0.70123,
      weightedPurity: 0.65,
      accuracy: 0.61,
      nmi: 0.6,
      ari: 0.5,
      k: 10,
      n: 60000,
      test: {
        purity: 0.69,
        weightedPurity: 0.64,
        accuracy: 0.6,
        nmi: 0.59,
        ari: 0.49,
        k: 10,
        n: 10000,
      },
      baseline: {
        purity: 0.62,
        weightedPurity: 0.58,
        accuracy: 0.55,
        nmi: 0.5,
        ari: 0.4,
        k: 10,
        n: 60000,
      },
    },
    config: { backend: "wasm", cluster: { k: 10, nInit: 10 } },
    stages: [
      {
        name: "load",
        computedAt: "2026-11-27T10:15:03.123Z",
        computeSeconds: 0.4,
        computedBy: "run-1",
        reason: "never run before",
        environment: {},
      },
      {
        name: "train",
        computedAt: "2026-11-27T10:29:41.000Z",
        computeSeconds: 840.25,
        computedBy: "run-1",
        reason: "never run before",
        environment: { backend: "wasm" },
      },
      {
        name: "cluster",
        computedAt: "2026-11-28T09:00:00.000Z",
        computeSeconds: 3.25,
        computedBy: "run-7",
        reason: "cluster.k changed 12 → 10 <&>",
        environment: { v8: "15.0" },
      },
    ],
    figures: [
      { name: "loss", caption: "Training loss per epoch.", png: await rasterise(loss.svg) },
      { name: "contingency", caption: "Clusters × labels.", png: await rasterise(contingency.svg) },
    ],
  };
}

Deno.test("reportHtml() shows the metrics of train, test and baseline, the stages and the configuration", async () => {
  const html = reportHtml(await sampleInput());
  assert.match(html, /<table class="metrics">/);
  for (
    const text of ["0.7012", "0.6900", "0.6200", "60,000", "10,000", "weightedPurity", "nmi", "ari"]
  ) {
    assert.ok(html.includes(text), text);
  }
  assert.match(html, /cluster\.nInit<\/td><td class="value">10</);
  assert.match(html, /run <code>run-7<\/code>/);
});

Deno.test("reportHtml() says when each stage's outputs were computed, how long it took, by which run and why", async () => {
  const html = reportHtml(await sampleInput());
  assert.match(
    html,
    /<tr><td>train<\/td><td>2026-11-27 10:29:41 UTC<\/td><td class="number">840\.3<\/td><td><code>run-1<\/code><\/td><td>never run before<\/td><td class="value">backend wasm<\/td><\/tr>/,
  );
  assert.match(html, /<td>cluster\.k changed 12 → 10 &#60;&#38;&#62;<\/td>/);
  assert.match(html, /total compute<\/th><td class="number">843\.9</);
});

Deno.test("reportHtml() marks the configuration keys that differ from the defaults, with the default", async () => {
  const html = reportHtml({
    ...(await sampleInput()),
    defaults: { backend: "auto", cluster: { k: 10, nInit: 10 } },
  });
  assert.match(
    html,
    /<tr class="changed"><td>backend<\/td><td class="value">&#34;wasm&#34;<\/td><td class="default">&#34;auto&#34;<\/td><\/tr>/,
  );
  assert.match(
    html,
    /<tr><td>cluster\.k<\/td><td class="value">10<\/td><td class="default"><\/td>/,
  );
  assert.match(html, /1 key \(●\) differs from the defaults/);
});

Deno.test("reportHtml() shows the reference post's purity only for a comparable configuration", async () => {
  const input = await sampleInput();
  assert.doesNotMatch(reportHtml(input), /0\.6989/);
  assert.match(reportHtml({ ...input, comparableWithPost: true }), /reports purity 0\.6989/);
});

Deno.test("reportHtml() lists the runtime's and libraries' versions and the data's digests", async () => {
  const html = reportHtml({
    ...(await sampleInput()),
    provenance: {
      runtime: { deno: "2.9.6" },
      libraries: ["@tensorflow/tfjs@4.22.0", "sharp@0.35.5"],
      dependencies: 120,
      data: {
        settings: { dataset: "folder", folder: "data/猫" },
        outputs: { trainImages: "ab12" },
        files: { count: 1200, digest: "cd34" },
      },
    },
  });
  assert.match(html, /<td>deno<\/td><td class="value">2\.9\.6<\/td>/);
  assert.match(
    html,
    /@tensorflow\/tfjs@4\.22\.0, sharp@0\.35\.5 \(and 120 packages they depend on/,
  );
  assert.match(html, /dataset &#34;folder&#34;, folder &#34;data\/猫&#34;/);
  assert.match(html, /<td>data: trainImages<\/td><td class="digest">sha256 ab12<\/td>/);
  assert.match(html, /1,200 files; sha256 over their digests cd34/);
});

Deno.test("reportHtml() embeds every figure and loads nothing from elsewhere", async () => {
  const input = await sampleInput();
  const html = reportHtml(input);
  const sources = [...html.matchAll(/<img src="([^"]*)" width="(\d+)" height="(\d+)"/g)];
  assert.equal(sources.length, input.figures.length);
  for (const [_, source, width] of sources) {
    assert.ok(source!.startsWith("data:image/png;base64,"));
    assert.ok(Number(width) > 0);
  }
  for (const figure of input.figures) {
    assert.ok(html.includes(`<figcaption>${figure.caption}</figcaption>`));
  }
  assert.doesNotMatch(html, /<script|<link|\b(?:src|href)="(?!data:)|url\(/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:/);
});

Deno.test("reportHtml() shows missing metrics as a dash", () => {
  const html = reportHtml({ metrics: { purity: 0.5 }, config: {}, stages: [], figures: [] });
  assert.match(html, /<th scope="row">test<\/th>(<td class="number">—<\/td>){7}/);
});

Deno.test({
  name: "reportHtml() opens in headless Chromium with the metrics table and every image loaded",
  ignore: !chromiumPresent,
  async fn() {
    const input = await sampleInput();
    // A broken figure shows that the probe below can tell a failed image from a loaded one.
    const broken = {
      name: "broken",
      caption: "broken",
      png: new Uint8Array([137, 80, 78, 71, 1, 2, 3]),
    };
    const html = reportHtml({ ...input, figures: [...input.figures, broken] });
    // The probe script needs the page's policy to allow inline scripts; images stay under it.
    const probe = `<script>window.addEventListener("load", () => {
      const out = document.createElement("pre");
      out.id = "probe";
      out.textContent = JSON.stringify({
        images: [...document.images].map((image) => [image.complete, image.naturalWidth, image.naturalHeight]),
        metricsRows: document.querySelectorAll("table.metrics tr").length,
      });
      document.body.appendChild(out);
    });</script>`;
    const page = html
      .replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
      .replace("</body>", `${probe}</body>`);
    using temporaryDirectory = temporaryFolder("encluster-report-");
    const directory = temporaryDirectory.path;
    try {
      const file = `${directory}/report.html`;
      await Deno.writeTextFile(file, page);
      const output = await new Deno.Command(CHROMIUM, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-quic",
          `--user-data-dir=${directory}/profile`,
          "--dump-dom",
          `file://${file}`,
        ],
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(60_000),
      }).output();
      const dom = new TextDecoder().decode(output.stdout);
      const match = dom.match(/<pre id="probe">(.*?)<\/pre>/s);
      assert.ok(
        match,
        `no probe in Chromium's DOM (exit ${output.code}): ${
          new TextDecoder().decode(output.stderr).slice(-2000)
        }`,
      );
      const result = JSON.parse(match[1]!.replaceAll("&quot;", '"')) as {
        images: [boolean, number, number][];
        metricsRows: number;
      };
      assert.equal(result.metricsRows, 4, "a header and train, test, baseline rows");
      const sizes = input.figures.map((figure) => {
        const view = new DataView(figure.png.buffer, figure.png.byteOffset);
        return [true, view.getUint32(16), view.getUint32(20)];
      });
      assert.deepEqual(result.images.slice(0, -1), sizes);
      assert.equal(result.images.at(-1)![1], 0, "the broken image does not load");
    } finally {
      await Deno.remove(directory, { recursive: true });
    }
  },
});
