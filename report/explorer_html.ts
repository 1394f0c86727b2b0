/**
 * The report's interactive explorer: the markup (the plot, its tooltip, the
 * decoded centroids as buttons, the contingency table as clickable cells),
 * the data the `render` stage packed, plotly.js and the page's own script
 * (`explorer_client.js`), all inlined so the report stays one file that
 * works offline.
 *
 * Why plotly.js, and its `gl3d` partial bundle: it is a well-kept library
 * (a release a month) whose `scatter3d` trace already turns, zooms, pans and
 * reports the point under the mouse, on WebGL, for tens of thousands of
 * points. Measured minified: plotly.js-gl3d-dist-min 4.1.1 is 1.75 MB
 * (0.56 MB gzipped), the full plotly.js-dist-min 4.8 MB, ECharts with
 * echarts-gl 1.76 MB (two libraries for the same), and three.js about 0.7 MB
 * before the orbit controls, picking, axes, legend and tooltip we would then
 * write and test ourselves. The partial bundle is the smallest that needs no
 * renderer of our own.
 *
 * @module
 */
import type { ExplorerData } from "./figures/explorer_data.ts";

/** The explorer's part of the page, and what the page's policy must allow for it. */
export interface ExplorerSection {
  /** The section's HTML, scripts included. */
  readonly html: string;
  /**
   * The Content-Security-Policy sources the scripts need: inline scripts,
   * and `'unsafe-eval'`, since plotly's WebGL layer (regl) compiles its
   * drawing code with `new Function`. Nothing is loaded from anywhere.
   */
  readonly scriptSources: string;
}

/** The plotly.js bundle: read from the npm package pinned in deno.json. */
export async function plotlyBundle(): Promise<string> {
  const module = await import("plotly.js-gl3d-dist-min/plotly-gl3d.min.js", {
    with: { type: "text" },
  });
  return module.default;
}

/** The page's own script, read from `explorer_client.js` beside this module. */
export async function explorerClient(): Promise<string> {
  return await Deno.readTextFile(new URL("./explorer_client.js", import.meta.url));
}

/**
 * The explorer section: a 3-D scatter with a tooltip per point, the decoded
 * centroids (a click selects a cluster) and the contingency table (a click
 * on a cell selects a cluster's points of one label; on a header, all of a
 * cluster or of a label).
 *
 * @param data what the `render` stage packed
 * @param scripts plotly.js and the page's script, as text
 * @returns the section's HTML and the script sources it needs
 */
export function explorerSection(
  data: ExplorerData,
  scripts: { readonly plotly: string; readonly client: string },
): ExplorerSection {
  const labelName = (label: number) => data.labelNames[label] ?? String(label);
  const summaries = data.contingency.map((row, cluster) => {
    let size = 0;
    let majority = -1;
    row.forEach((count, label) => {
      size += count;
      if (majority < 0 || count > row[majority]!) majority = label;
    });
    return { cluster, size, majority: size > 0 ? majority : -1 };
  });
  const centroids = Array.from({ length: data.clusters }, (_, cluster) => {
    const summary = summaries[cluster];
    const caption = summary === undefined || summary.majority < 0
      ? `cluster ${cluster}`
      : `cluster ${cluster}: mostly ${labelName(summary.majority)}, ${formatCount(summary.size)}`;
    return `<button type="button" class="centroid" data-cluster="${cluster}" title="${
      escapeHtml(`${caption} — click to show this cluster's points`)
    }"><span class="centroid-image"></span><span>${escapeHtml(caption)}</span></button>`;
  });
  const order = [...summaries].sort((a, b) =>
    (a.majority < 0 ? Infinity : a.majority) - (b.majority < 0 ? Infinity : b.majority) ||
    a.cluster - b.cluster
  );
  const labels = Math.max(0, ...data.contingency.map((row) => row.length));
  const header = Array.from(
    { length: labels },
    (_, label) =>
      `<th scope="col" data-label="${label}" title="all images of this label">${
        escapeHtml(labelName(label))
      }</th>`,
  ).join("");
  const rows = order.map(({ cluster, size }) => {
    const row = data.contingency[cluster] ?? [];
    const cells = Array.from({ length: labels }, (_, label) => {
      const count = row[label] ?? 0;
      const share = size > 0 ? count / size : 0;
      const shade = `rgba(8,48,107,${(0.85 * share).toFixed(3)})`;
      return `<td class="number${share > 0.5 ? " dark" : ""}" style="background:${shade}" ` +
        `data-cluster="${cluster}" data-label="${label}">${formatCount(count)}</td>`;
    }).join("");
    return `<tr><th scope="row" data-cluster="${cluster}" title="all of this cluster">` +
      `cluster ${cluster}</th>${cells}</tr>`;
  }).join("\n");
  const note = [
    data.projectionNote,
    data.count < data.total
      ? `the first ${formatCount(data.count)} of ${formatCount(data.total)} training images`
      : `all ${formatCount(data.total)} training images`,
    data.imageCount < data.count
      ? `the first ${formatCount(data.imageCount)} carry their image (render.explorerPoints)`
      : "",
  ].filter((part) => part !== "").join("; ");
  const html = `<section id="explorer" data-state="loading">
<div class="explorer-controls"><label>colour by <select id="explorer-colour">` +
    `<option value="label">true label</option><option value="cluster">cluster</option>` +
    `</select></label> <span id="explorer-status">loading…</span> ` +
    `<button type="button" id="explorer-clear" hidden>show all</button></div>
<div class="explorer-stage"><div id="explorer-plot"></div>` +
    `<div id="explorer-tooltip" role="tooltip" hidden></div></div>
<p class="note">Drag to turn, scroll to zoom, hover a point for its image and reconstruction; ` +
    `${escapeHtml(note)}.</p>
<h3>Centroids, decoded</h3>
<p class="note">Click a centroid to show its cluster; click again for all points.</p>
<div class="explorer-centroids">${centroids.join("")}</div>
<h3>Contingency table, training set</h3>
<p class="note">Rows are clusters (by majority label), columns true labels; click a cell to show ` +
    `those points, a header for a whole cluster or label.</p>
<table class="explorer-contingency">
<tr><th></th>${header}</tr>
${rows}
</table>
</section>
<script type="application/json" id="explorer-data">${jsonInScript(data)}</script>
<script>${scriptText(scripts.plotly)}</script>
<script>${scriptText(scripts.client)}</script>`;
  return { html, scriptSources: "'unsafe-inline' 'unsafe-eval'" };
}

/** CSS for the explorer, added to the page's style sheet. */
export const EXPLORER_STYLE = `
.explorer-stage { position: relative; }
#explorer-plot { height: 620px; border: 1px solid #e4e4e4; }
#explorer-tooltip { position: absolute; z-index: 10; pointer-events: none; background: #fff;
  border: 1px solid #bbb; border-radius: 4px; padding: 6px 8px; box-shadow: 0 2px 6px #0003;
  font-size: 0.9em; }
.tip-images { display: flex; gap: 8px; }
.tip-images figure { margin: 0; text-align: center; }
.tip-images figcaption { font-size: 0.8em; color: #666; margin: 0; }
canvas { image-rendering: pixelated; display: block; }
.explorer-controls { margin: 0.5em 0; display: flex; gap: 1em; align-items: center; }
.explorer-centroids { display: flex; flex-wrap: wrap; gap: 6px; }
button.centroid { display: flex; flex-direction: column; align-items: center; gap: 2px;
  border: 2px solid #ddd; background: #fff; padding: 4px; font-size: 0.8em; cursor: pointer; }
button.centroid.selected, .explorer-contingency .selected { outline: 3px solid #d62728; }
.explorer-contingency td, .explorer-contingency th[data-cluster],
.explorer-contingency th[data-label] { cursor: pointer; }
.explorer-contingency td.dark { color: #fff; }
`;

/** JSON that cannot end its `<script>` element early. */
function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** A script's text, kept from closing its element early. */
function scriptText(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
