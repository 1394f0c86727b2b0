/**
 * The run report: one self-contained HTML page (figures embedded as data:
 * URIs, inline CSS, no scripts and no external resources) that a person opens
 * after a run.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { JsonValue } from "../engine/stage.ts";
import { metricNames } from "../ml/metrics/metrics.ts";

/** What happened to one stage in the run. */
export interface ReportStage {
  /** The stage's name. */
  readonly name: string;
  /** Whether it ran, its outputs came from the cache, or it failed. */
  readonly status: "ran" | "cached" | "failed";
  /** Why it ran (`cluster.k changed 10 → 12`); empty when cached. */
  readonly reason: string;
  /** Wall time of the stage in this run (0 when cached). */
  readonly seconds: number;
}

/** One figure of the report. */
export interface ReportFigure {
  /** Short identifier, used as the HTML id (`scatter`). */
  readonly name: string;
  /** One or two sentences shown under the image. */
  readonly caption: string;
  /** The PNG file's bytes. */
  readonly png: Uint8Array;
}

/** Everything {@link reportHtml} shows. */
export interface ReportInput {
  /** Heading of the page; defaults to `encluster report`. */
  readonly title?: string;
  /** The run's id, shown under the title. */
  readonly runId?: string;
  /**
   * The run's metrics as in the run record: the training set's scores
   * (`purity`, `weightedPurity`, `accuracy`, `nmi`, `ari`, `k`, `n`) at the top
   * level, and the same keys under `test` and `baseline`. Missing sets or
   * scores are shown as `—`.
   */
  readonly metrics: JsonValue;
  /** The resolved configuration: sections of values. */
  readonly config: JsonValue;
  /** Every stage of the run, in run order. */
  readonly stages: readonly ReportStage[];
  /** The figures, in reading order. */
  readonly figures: readonly ReportFigure[];
}

/** The seed's published purities, shown beside ours for comparison. */
const SEED_NOTE = "For comparison, the reference post reports purity 0.6989 for k-means on " +
  "its 3-d encoding and 0.62 for k-means on raw pixels.";

const STYLE = `
body { font: 15px/1.45 "DejaVu Sans", system-ui, sans-serif; color: #222; margin: 2em auto;
  max-width: 1100px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.subtitle { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #e4e4e4; text-align: left; }
th { background: #f4f4f4; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.ran { color: #b35900; font-weight: bold; }
td.cached { color: #2e7d32; }
td.value { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
.note { color: #555; font-size: 0.92em; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
figcaption { color: #444; margin-top: 0.4em; }
`;

/**
 * Builds the report page: the metrics table (train, test, baseline), the
 * resolved configuration, which stages ran or were cached and why, and every
 * figure with its caption. The page loads nothing from elsewhere; a
 * Content-Security-Policy says so to the browser too.
 *
 * @param input the run's metrics, configuration, stages and figures
 * @returns the HTML document
 * @example
 * ```ts
 * import { reportHtml } from "./report_html.ts";
 * const html = reportHtml({ metrics: { purity: 0.7 }, config: {}, stages: [], figures: [] });
 * if (!html.includes("0.7000")) throw new Error();
 * ```
 */
export function reportHtml(input: ReportInput): string {
  const title = input.title ?? "encluster report";
  const sections = [
    `<h1>${escapeHtml(title)}</h1>`,
    input.runId ? `<p class="subtitle">run <code>${escapeHtml(input.runId)}</code></p>` : "",
    `<h2 id="metrics">Metrics</h2>`,
    metricsSection(input.metrics),
    `<p class="note">${escapeHtml(SEED_NOTE)}</p>`,
    `<h2 id="figures">Figures</h2>`,
    input.figures.map(figureSection).join("\n"),
    `<h2 id="stages">Stages</h2>`,
    stagesSection(input.stages),
    `<h2 id="configuration">Configuration</h2>`,
    configSection(input.config),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${sections.filter((section) => section !== "").join("\n")}
</body>
</html>
`;
}

/** Text made safe inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function metricsSection(metrics: JsonValue): string {
  const sets: [string, JsonValue | undefined][] = [
    ["train", metrics],
    ["test", isObject(metrics) ? metrics.test : undefined],
    ["baseline (pixels)", isObject(metrics) ? metrics.baseline : undefined],
  ];
  const header = ["set", ...metricNames, "k", "n"].map((name) => `<th>${escapeHtml(name)}</th>`)
    .join("");
  const rows = sets.map(([name, scores]) => {
    const cells = [...metricNames, "k", "n"].map((key) => {
      const value = isObject(scores) ? scores[key] : undefined;
      const text = typeof value !== "number"
        ? "—"
        : key === "k" || key === "n"
        ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",")
        : value.toFixed(4);
      return `<td class="number">${text}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(name)}</th>${cells.join("")}</tr>`;
  });
  return `<table class="metrics">\n<tr>${header}</tr>\n${rows.join("\n")}\n</table>`;
}

function figureSection(figure: ReportFigure): string {
  const { width, height } = pngSize(figure.png);
  const source = `data:image/png;base64,${Buffer.from(figure.png).toString("base64")}`;
  return `<figure id="figure-${escapeHtml(figure.name)}">` +
    `<img src="${source}" width="${width}" height="${height}" alt="${
      escapeHtml(figure.caption)
    }">` +
    `<figcaption>${escapeHtml(figure.caption)}</figcaption></figure>`;
}

/** Width and height from a PNG's IHDR chunk (0 × 0 when it is not a PNG). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  if (png.length < 24 || png[1] !== 0x50 || png[2] !== 0x4e || png[3] !== 0x47) {
    return { width: 0, height: 0 };
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function stagesSection(stages: readonly ReportStage[]): string {
  if (stages.length === 0) return `<p class="note">No stage records.</p>`;
  const rows = stages.map((stage) =>
    `<tr><td>${escapeHtml(stage.name)}</td><td class="${stage.status}">${stage.status}</td>` +
    `<td>${
      escapeHtml(stage.reason || (stage.status === "cached" ? "inputs unchanged" : ""))
    }</td>` +
    `<td class="number">${stage.seconds.toFixed(1)}</td></tr>`
  );
  const total = stages.reduce((sum, stage) => sum + stage.seconds, 0);
  return `<table class="stages">\n<tr><th>stage</th><th>status</th><th>why</th><th>seconds</th></tr>\n` +
    `${rows.join("\n")}\n<tr><th colspan="3">total</th><td class="number">${
      total.toFixed(1)
    }</td></tr>\n</table>`;
}

function configSection(config: JsonValue): string {
  if (!isObject(config)) {
    return `<pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre>`;
  }
  const rows: string[] = [];
  for (const [section, values] of Object.entries(config)) {
    if (isObject(values)) {
      for (const [key, value] of Object.entries(values)) {
        rows.push(
          `<tr><td>${escapeHtml(`${section}.${key}`)}</td>` +
            `<td class="value">${escapeHtml(JSON.stringify(value))}</td></tr>`,
        );
      }
    } else {
      rows.push(
        `<tr><td>${escapeHtml(section)}</td><td class="value">${
          escapeHtml(JSON.stringify(values))
        }</td></tr>`,
      );
    }
  }
  return `<table class="config">\n<tr><th>key</th><th>value</th></tr>\n${
    rows.join("\n")
  }\n</table>`;
}
