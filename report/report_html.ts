/**
 * The run report: one self-contained HTML page that a person opens after a
 * run — figures embedded as data: URIs, inline CSS, and, when the run has
 * the explorer's data, the interactive scatter with plotly.js inlined
 * (`explorer_html.ts`). It loads nothing from elsewhere, and its
 * Content-Security-Policy tells the browser so.
 *
 * The page describes results, not one run: where they were computed, when,
 * how long it took and why, with which backend, libraries and data. Two
 * runs with the same results give the same page, byte for byte, so the
 * store keeps it once (see `run_report.ts`).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { JsonValue } from "../engine/stage.ts";
import { metricNames } from "../ml/metrics/metrics.ts";
import type { ExplorerSection } from "./explorer_html.ts";
import { EXPLORER_STYLE } from "./explorer_html.ts";

/** Where one stage's outputs came from: the computation that made them. */
export interface ReportStage {
  /** The stage's name. */
  readonly name: string;
  /** When its outputs were computed (ISO time), by this run or an earlier one. */
  readonly computedAt?: string;
  /** How long that computation took, in seconds. */
  readonly computeSeconds?: number;
  /** The run that computed them, when it is still in the store. */
  readonly computedBy?: string;
  /** Why that run computed them (`cluster.k changed 10 → 12`). */
  readonly reason?: string;
  /** What the stage's cache key records of where it ran (`backend: wasm`). */
  readonly environment?: Readonly<Record<string, string>>;
}

/** With what the results were computed, besides the stages' own environments. */
export interface ReportProvenance {
  /** Deno, V8 and TypeScript versions of the process that wrote the report. */
  readonly runtime: Readonly<Record<string, string>>;
  /** `name@version` of the project's own libraries among those the stages' keys name, sorted. */
  readonly libraries: readonly string[];
  /** How many other packages (theirs) the keys name. */
  readonly dependencies?: number;
  /** The data: its settings, and digests of what was read. */
  readonly data: {
    /** The data stage's settings that are set (`dataset: "mnist"`, `limit: 600`). */
    readonly settings: Readonly<Record<string, JsonValue>>;
    /** SHA-256 of each loaded array (`trainImages` → digest). */
    readonly outputs: Readonly<Record<string, string>>;
    /** How many data files were read, and one digest over all of theirs. */
    readonly files?: { readonly count: number; readonly digest: string };
  };
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
  /**
   * The default configuration (configs/seed.json resolved): keys whose value
   * differs are marked, with the default beside them.
   */
  readonly defaults?: JsonValue;
  /** Whether to show the reference post's purities: MNIST with the seed's architecture. */
  readonly comparableWithPost?: boolean;
  /** Every stage, in run order, with where its outputs came from. */
  readonly stages: readonly ReportStage[];
  /** Versions and data; none: the section is left out. */
  readonly provenance?: ReportProvenance;
  /** The interactive scatter; none: only the static figures. */
  readonly explorer?: ExplorerSection;
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
tr.changed td:first-child { font-weight: bold; }
tr.changed td:first-child::before { content: "● "; color: #b35900; }
td.default { color: #777; font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
td.digest { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; word-break: break-all; }
.note { color: #555; font-size: 0.92em; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
figcaption { color: #444; margin-top: 0.4em; }
`;

/**
 * Builds the report page: the metrics table (train, test, baseline), the
 * interactive explorer when given, every figure with its caption, where each
 * stage's outputs came from, the versions and data, and the configuration
 * with the keys that differ from the defaults marked. The page loads nothing
 * from elsewhere; a Content-Security-Policy says so to the browser too.
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
    input.runId
      ? `<p class="subtitle" id="report-run">run <code>${escapeHtml(input.runId)}</code></p>`
      : `<p class="subtitle" id="report-run" hidden></p>`,
    `<h2 id="metrics">Metrics</h2>`,
    metricsSection(input.metrics),
    input.comparableWithPost ? `<p class="note">${escapeHtml(SEED_NOTE)}</p>` : "",
    input.explorer ? `<h2 id="explore">Explore the encoding</h2>\n${input.explorer.html}` : "",
    `<h2 id="figures">Figures</h2>`,
    input.figures.map(figureSection).join("\n"),
    `<h2 id="stages">Stages</h2>`,
    stagesSection(input.stages),
    input.provenance ? `<h2 id="provenance">Versions and data</h2>` : "",
    input.provenance ? provenanceSection(input.provenance) : "",
    `<h2 id="configuration">Configuration</h2>`,
    configSection(input.config, input.defaults),
  ];
  const scripts = input.explorer ? ` script-src ${input.explorer.scriptSources};` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: blob:; style-src 'unsafe-inline';${scripts}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${input.explorer ? EXPLORER_STYLE : ""}</style>
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
  const rows = stages.map((stage) => {
    const environment = Object.entries(stage.environment ?? {})
      .map(([key, value]) => `${key} ${value}`).join(", ");
    return `<tr><td>${escapeHtml(stage.name)}</td>` +
      `<td>${stage.computedAt ? escapeHtml(formatTime(stage.computedAt)) : "—"}</td>` +
      `<td class="number">${
        stage.computeSeconds === undefined ? "—" : stage.computeSeconds.toFixed(1)
      }</td>` +
      `<td>${stage.computedBy ? `<code>${escapeHtml(stage.computedBy)}</code>` : "—"}</td>` +
      `<td>${escapeHtml(stage.reason ?? "")}</td>` +
      `<td class="value">${escapeHtml(environment)}</td></tr>`;
  });
  const total = stages.reduce((sum, stage) => sum + (stage.computeSeconds ?? 0), 0);
  return `<p class="note">When each stage's outputs were computed, and how long that took, ` +
    `also when a later run took them from the cache.</p>\n` +
    `<table class="stages">\n<tr><th>stage</th><th>computed</th><th>seconds</th>` +
    `<th>by run</th><th>why it ran then</th><th>where</th></tr>\n` +
    `${rows.join("\n")}\n<tr><th colspan="2">total compute</th><td class="number">${
      total.toFixed(1)
    }</td><td colspan="3"></td></tr>\n</table>`;
}

/** `2026-11-27T10:15:03.123Z` as `2026-11-27 10:15:03 UTC`. */
function formatTime(iso: string): string {
  const match = iso.match(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function provenanceSection(provenance: ReportProvenance): string {
  const rows: [string, string, string][] = [];
  for (const [name, version] of Object.entries(provenance.runtime)) {
    rows.push([name, version, "value"]);
  }
  const others = provenance.dependencies ?? 0;
  rows.push([
    "libraries",
    (provenance.libraries.join(", ") || "—") +
    (others > 0
      ? ` (and ${formatCount(others)} package${others === 1 ? "" : "s"} they depend on, ` +
        "each pinned in the stage records)"
      : ""),
    "value",
  ]);
  const settings = Object.entries(provenance.data.settings)
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`).join(", ");
  rows.push(["data", settings, "value"]);
  for (const [name, digest] of Object.entries(provenance.data.outputs)) {
    rows.push([`data: ${name}`, `sha256 ${digest}`, "digest"]);
  }
  if (provenance.data.files) {
    const { count, digest } = provenance.data.files;
    rows.push([
      "data files",
      `${formatCount(count)} file${count === 1 ? "" : "s"}; sha256 over their digests ${digest}`,
      "digest",
    ]);
  }
  return `<table class="provenance">\n${
    rows.map(([key, value, kind]) =>
      `<tr><td>${escapeHtml(key)}</td><td class="${kind}">${escapeHtml(value)}</td></tr>`
    ).join("\n")
  }\n</table>`;
}

function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function configSection(config: JsonValue, defaults: JsonValue | undefined): string {
  if (!isObject(config)) {
    return `<pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre>`;
  }
  const defaultsFlat = isObject(defaults) ? flatten(defaults) : undefined;
  const rows: string[] = [];
  let changed = 0;
  for (const [key, value] of flatten(config)) {
    const text = JSON.stringify(value);
    const original = defaultsFlat?.get(key);
    const differs = defaultsFlat !== undefined && JSON.stringify(original) !== text;
    if (differs) changed++;
    rows.push(
      `<tr${differs ? ` class="changed"` : ""}><td>${escapeHtml(key)}</td>` +
        `<td class="value">${escapeHtml(text)}</td>` +
        (defaultsFlat === undefined
          ? ""
          : `<td class="default">${
            differs ? escapeHtml(original === undefined ? "(none)" : JSON.stringify(original)) : ""
          }</td>`) +
        `</tr>`,
    );
  }
  const note = defaultsFlat === undefined
    ? ""
    : `<p class="note">${
      changed === 0
        ? "Every key has its default value (configs/seed.json)."
        : `${changed} key${changed === 1 ? "" : "s"} (●) differ${
          changed === 1 ? "s" : ""
        } from the defaults (configs/seed.json), shown beside ${changed === 1 ? "it" : "them"}.`
    }</p>\n`;
  return `${note}<table class="config">\n<tr><th>key</th><th>value</th>${
    defaultsFlat === undefined ? "" : "<th>default</th>"
  }</tr>\n${rows.join("\n")}\n</table>`;
}

/** Sections of values as dotted keys; top-level values keep their name. */
function flatten(config: { [key: string]: JsonValue }): Map<string, JsonValue> {
  const flat = new Map<string, JsonValue>();
  for (const [section, values] of Object.entries(config)) {
    if (isObject(values)) {
      for (const [key, value] of Object.entries(values)) flat.set(`${section}.${key}`, value);
    } else {
      flat.set(section, values);
    }
  }
  return flat;
}
