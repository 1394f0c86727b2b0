/**
 * The runs index, `reports/index.html`: every run of a store in one sortable
 * table (click a header; click again to reverse), the settings that differ
 * between runs as columns, the training set's metrics, and a link to each
 * run's report — the many-runs view of `dvc exp show`, as a page. It is one
 * self-contained file, like the reports, and loads nothing from elsewhere.
 *
 * @module
 */
import { flattenConfig } from "../engine/key/flatten_config.ts";
import type { RunRecord } from "../engine/store/records.ts";
import { metricNames } from "../ml/metrics/metrics.ts";

/** One column: its header, and each run's cell as text and as the value it sorts by. */
interface Column {
  readonly header: string;
  readonly kind: "setting" | "metric" | "run";
  readonly cell: (run: RunRecord) => { text: string; sort: string | number; href?: string };
}

/**
 * The settings whose values are not the same in every run, sorted.
 *
 * @param runs the run records
 * @returns dotted keys (`cluster.k`)
 * @example
 * ```ts
 * import { differingSettings } from "./runs_index.ts";
 * const run = (k: number) => ({ config: { cluster: { k, nInit: 2 } } });
 * const keys = differingSettings([run(10), run(12)] as never);
 * if (keys.join() !== "cluster.k") throw new Error(keys.join());
 * ```
 */
export function differingSettings(runs: readonly Pick<RunRecord, "config">[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const run of runs) {
    for (const [key, value] of flattenConfig(run.config)) {
      const seen = values.get(key) ?? new Set<string>();
      seen.add(JSON.stringify(value) ?? "undefined");
      values.set(key, seen);
    }
  }
  const keys: string[] = [];
  for (const [key, seen] of values) {
    const everywhere = runs.every((run) => flattenConfig(run.config).has(key));
    if (seen.size > 1 || !everywhere) keys.push(key);
  }
  return keys.sort();
}

/**
 * The index page of a store's runs, newest first.
 *
 * @param runs every run record of the store
 * @param reportOf the link to a run's report, relative to the index; undefined: none
 * @returns the HTML document
 */
export function runsIndexHtml(
  runs: readonly RunRecord[],
  reportOf: (id: string) => string | undefined,
): string {
  const sorted = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const metric = (run: RunRecord, name: string): number | undefined => {
    const metrics = run.metrics;
    if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) return undefined;
    const value = metrics[name];
    return typeof value === "number" ? value : undefined;
  };
  const columns: Column[] = [
    {
      header: "run",
      kind: "run",
      cell: (run) => ({ text: run.id, sort: run.id, href: reportOf(run.id) }),
    },
    {
      header: "started",
      kind: "run",
      cell: (run) => ({
        text: run.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z"),
        sort: run.startedAt,
      }),
    },
    {
      header: "name",
      kind: "run",
      cell: (run) => {
        const text = [run.name, ...(run.tags ?? []).map((tag) => `#${tag}`)]
          .filter((part) => part !== undefined).join(" ");
        return { text, sort: text };
      },
    },
    { header: "status", kind: "run", cell: (run) => ({ text: run.status, sort: run.status }) },
    {
      header: "ran",
      kind: "run",
      cell: (run) => {
        const ran = run.stages.filter((stage) => stage.status === "ran").length;
        return { text: `${ran} of ${run.stages.length}`, sort: ran };
      },
    },
    ...differingSettings(runs).map((key): Column => ({
      header: key,
      kind: "setting",
      cell: (run) => {
        const value = flattenConfig(run.config).get(key);
        const text = value === undefined ? "—" : JSON.stringify(value);
        return { text, sort: typeof value === "number" ? value : text };
      },
    })),
    ...metricNames.map((name): Column => ({
      header: name,
      kind: "metric",
      cell: (run) => {
        const value = metric(run, name);
        return value === undefined
          ? { text: "—", sort: -Infinity }
          : { text: value.toFixed(4), sort: value };
      },
    })),
  ];
  const header = columns.map((column, index) =>
    `<th scope="col" class="${column.kind}" data-column="${index}" title="sort by ${
      escapeHtml(column.header)
    }">${escapeHtml(column.header)}</th>`
  ).join("");
  const rows = sorted.map((run) => {
    const cells = columns.map((column) => {
      const { text, sort, href } = column.cell(run);
      const content = href === undefined
        ? escapeHtml(text)
        : `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
      const numeric = typeof sort === "number";
      return `<td class="${column.kind}${numeric ? " number" : ""}" data-sort="${
        escapeHtml(String(sort))
      }">${content}</td>`;
    }).join("");
    return `<tr data-run="${escapeHtml(run.id)}">${cells}</tr>`;
  }).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>encluster runs</title>
<style>${STYLE}</style>
</head>
<body>
<h1>encluster runs</h1>
<p class="note">${runs.length} run${runs.length === 1 ? "" : "s"}, newest first. ` +
    `Click a header to sort by it, again to reverse. Settings shown are those that differ ` +
    `between runs; metrics are the training set's.</p>
<table id="runs">
<thead><tr>${header}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
body { font: 15px/1.45 "DejaVu Sans", system-ui, sans-serif; color: #222; margin: 2em; }
table { border-collapse: collapse; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: left;
  white-space: nowrap; }
th { background: #f4f4f4; cursor: pointer; user-select: none; }
th.setting { background: #fff3e0; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.setting { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
.note { color: #555; }
`;

/** Sorts the table by a clicked header: numbers as numbers, the rest as text. */
const SORT_SCRIPT = `
(() => {
  const table = document.getElementById("runs");
  const body = table.tBodies[0];
  for (const th of table.tHead.rows[0].cells) {
    th.addEventListener("click", () => {
      const column = Number(th.dataset.column);
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = (row) => row.cells[column].dataset.sort;
      const rows = [...body.rows];
      const numeric = rows.every((row) => key(row) === "-Infinity" || !isNaN(Number(key(row))));
      const compare = (a, b) => a === b ? 0 : a < b ? -1 : 1;
      rows.sort((a, b) => {
        const order = numeric ? compare(Number(key(a)), Number(key(b))) : key(a).localeCompare(key(b));
        return ascending ? order : -order;
      });
      body.append(...rows);
    });
  }
})();
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
