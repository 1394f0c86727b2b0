/**
 * The page of a group of replicates (one configuration, several seeds):
 * every metric's mean, standard deviation, least and greatest value and
 * count over the replicates, on the training set, the test set and the
 * baseline, and a link to each replicate's own report. Self-contained, like
 * the run report.
 *
 * @module
 */
import { basename, join } from "node:path";
import type { JsonValue } from "../engine/stage.ts";
import { metricNames } from "../ml/metrics/metrics.ts";
import { escapeHtml } from "./report_html.ts";

/** What the page shows. */
export interface GroupReportInput {
  readonly groupId: string;
  /** The summarised metrics (`purity: { mean, sd, min, max, n, values }`, and under test, baseline). */
  readonly metrics: JsonValue;
  /** Each replicate: its run id, seeds' offset, status and report (a path, if written). */
  readonly replicates: readonly {
    readonly run: string;
    readonly index: number;
    readonly status: string;
    readonly report?: string;
  }[];
}

/**
 * The group's page.
 *
 * @param input the group's summary and replicates
 * @returns the HTML
 */
export function groupReportHtml(input: GroupReportInput): string {
  const sets = [["train", null], ["test", "test"], ["baseline", "baseline"]] as const;
  const rows: string[] = [];
  for (const [label, key] of sets) {
    const scores = key === null ? input.metrics : field(input.metrics, key);
    for (const name of metricNames) {
      const summary = field(scores, name);
      if (summary === undefined) continue;
      const number = (entry: string) => {
        const value = field(summary, entry);
        return typeof value === "number" ? value.toFixed(4) : "—";
      };
      rows.push(
        `<tr><td>${label}</td><td>${name}</td><td>${number("mean")}</td><td>${number("sd")}</td>` +
          `<td>${number("min")}</td><td>${number("max")}</td><td>${
            String(field(summary, "n") ?? "—")
          }</td></tr>`,
      );
    }
  }
  const replicates = input.replicates.map((replicate) =>
    `<li>replicate ${replicate.index} (seeds + ${replicate.index}): ` +
    (replicate.report === undefined
      ? `${escapeHtml(replicate.run)} — ${escapeHtml(replicate.status)}`
      : `<a href="${escapeHtml(basename(replicate.report))}">${escapeHtml(replicate.run)}</a>`) +
    "</li>"
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>encluster group ${
    escapeHtml(input.groupId)
  }</title>
<style>
body { font: 15px/1.45 "DejaVu Sans", system-ui, sans-serif; color: #222; margin: 2em auto;
  max-width: 60em; padding: 0 1em; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd;
  text-align: right; } td:first-child, td:nth-child(2), th { text-align: left; }
</style></head><body>
<h1>encluster: ${input.replicates.length} replicates</h1>
<p>Group <code>${escapeHtml(input.groupId)}</code>: one configuration, the training, manifold and
cluster seeds offset by 0, 1, … The spread below is the seeds' noise.</p>
<table><tr><th>set</th><th>metric</th><th>mean</th><th>sd</th><th>min</th><th>max</th><th>n</th></tr>
${rows.join("\n")}
</table>
<h2>Replicates</h2>
<ul>
${replicates.join("\n")}
</ul>
</body></html>
`;
}

/**
 * Writes the group's page to `reports/<group id>.html` in the store.
 *
 * @returns its path
 */
export function writeGroupReport(storeRoot: string, input: GroupReportInput): string {
  const folder = join(storeRoot, "reports");
  Deno.mkdirSync(folder, { recursive: true });
  const path = join(folder, `${input.groupId}.html`);
  Deno.writeTextFileSync(path, groupReportHtml(input));
  return path;
}

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return value[key];
}
