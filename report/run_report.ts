/**
 * A run's report page from its record, the stage records it used and the
 * outputs its drawing stage made, and where reports are kept in the store.
 *
 * The page describes results (see `report_html.ts`), so a cached re-run with
 * nothing new makes the same page, byte for byte. The store keeps each page
 * once, by content, and gives every run a small page of its own that leads
 * there:
 *
 *     reports/pages/<sha256>.html   the report page, stored once per content
 *     reports/<run id>.html         about 1 KB: the run, what it ran, and a
 *                                   redirect to its page (every run id resolves)
 *     reports/index.html            every run, see runs_index.ts
 *     report.html                   a copy of the latest run's page, to open or share
 *
 * @module
 */
import { dirname, join } from "node:path";
import { canonicalJson } from "../engine/key/canonical_json.ts";
import { isFile } from "../engine/is_file.ts";
import { sha256 } from "../engine/key/sha256.ts";
import { writeFileAtomically } from "../engine/store/atomic_file.ts";
import { runFigureCaptions } from "./figures/run_figures.ts";
import type { ExplorerData } from "./figures/explorer_data.ts";
import { explorerClient, explorerSection, plotlyBundle } from "./explorer_html.ts";
import type { ReportProvenance, ReportStage } from "./report_html.ts";
import { reportHtml } from "./report_html.ts";
import { runsIndexHtml } from "./runs_index.ts";
import type { OutputRef, PipelineRun } from "../engine/runner.ts";
import type { RunRecord, StageRecord } from "../engine/store/records.ts";
import type { JsonValue } from "../engine/stage.ts";
import { Store } from "../engine/store/store.ts";

/** Which outputs the report shows, and what it compares the configuration with. */
export interface ReportSources {
  /** The stage whose outputs are the figures (PNG bytes). */
  readonly figures: string;
  /** The explorer's data (report/figures/explorer_data.ts), when the pipeline makes it. */
  readonly explorer?: OutputRef;
  /** The stage that loads the data: its settings and output digests are the data's provenance. */
  readonly data?: string;
  /** The default configuration; keys that differ from it are marked. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /**
   * Dotted keys that must have their default values for the reference post's
   * purities to be a fair comparison (the data set and the architecture).
   */
  readonly comparableWithPost?: readonly string[];
}

/**
 * The run's report page: metrics, the interactive explorer, the figures,
 * where each stage's outputs came from, versions and data, and the
 * configuration. It names no run of its own (the run's page in
 * `reports/<run>.html` does), so the same results give the same bytes.
 *
 * @param run the finished run
 * @param record its run record
 * @param sources which outputs to show, and the defaults
 * @returns the page's HTML
 */
export async function runReportHtml(
  run: PipelineRun,
  record: RunRecord,
  sources: ReportSources,
): Promise<string> {
  const figureStage = sources.figures;
  const drawn = run.records.get(figureStage)?.outputs ?? {};
  const figures = [];
  for (const { name, caption } of runFigureCaptions) {
    if (drawn[name] === undefined) continue;
    figures.push({ name, caption, png: (await run.value(figureStage, name)) as Uint8Array });
  }
  const { explorer } = sources;
  const explorerValue = explorer && run.records.get(explorer.stage)?.outputs[explorer.output]
    ? (await run.value(explorer.stage, explorer.output)) as unknown as ExplorerData
    : undefined;
  return reportHtml({
    metrics: record.metrics,
    config: record.config as never,
    defaults: sources.defaults as never,
    comparableWithPost: sources.comparableWithPost !== undefined &&
      sources.defaults !== undefined &&
      sameValues(record.config, sources.defaults, sources.comparableWithPost),
    stages: stageProvenance(record, run.records, readRuns(run.options.store.root)),
    provenance: provenance(run.records, sources.data, record.config),
    explorer: explorerValue === undefined ? undefined : explorerSection(explorerValue, {
      plotly: await plotlyBundle(),
      client: await explorerClient(),
    }),
    figures,
  });
}

/** True when both configurations have equal values at every dotted key. */
function sameValues(
  config: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  keys: readonly string[],
): boolean {
  const at = (value: Readonly<Record<string, unknown>>, key: string) =>
    key.split(".").reduce<unknown>(
      (part, name) =>
        typeof part === "object" && part !== null
          ? (part as Record<string, unknown>)[name]
          : undefined,
      value,
    );
  return keys.every((key) =>
    canonicalJson((at(config, key) ?? null) as JsonValue) ===
      canonicalJson((at(defaults, key) ?? null) as JsonValue)
  );
}

/**
 * Each stage's computation: when and how long (from the run's outcomes,
 * also for a cache hit), which run computed it and why (the earlier run's
 * outcome with the same key that ran), and where (its key's environment).
 */
export function stageProvenance(
  record: RunRecord,
  stageRecords: ReadonlyMap<string, StageRecord>,
  runs: readonly RunRecord[],
): ReportStage[] {
  return record.stages.map((outcome) => {
    const computing = outcome.status === "ran"
      ? { run: record, outcome }
      : runs.flatMap((earlier) =>
        earlier.stages
          .filter((candidate) =>
            candidate.status === "ran" && candidate.key === outcome.key &&
            (outcome.computedAt === undefined || candidate.computedAt === outcome.computedAt)
          )
          .map((candidate) => ({ run: earlier, outcome: candidate }))
      )[0];
    return {
      name: outcome.name,
      computedAt: outcome.computedAt,
      computeSeconds: outcome.computeSeconds,
      computedBy: computing?.run.id,
      reason: outcome.status === "failed"
        ? `failed: ${outcome.error ?? ""}`
        : computing?.outcome.reason ?? "",
      environment: stageRecords.get(outcome.name)?.fingerprint.environment,
    };
  });
}

/**
 * The npm packages deno.json imports by name: the libraries the report
 * names (the packages they depend on are counted). Undefined when deno.json
 * cannot be read: then every library is named.
 */
function directLibraries(): Set<string> | undefined {
  try {
    const { imports = {} } = JSON.parse(
      Deno.readTextFileSync(new URL("../deno.json", import.meta.url)),
    ) as { imports?: Record<string, string> };
    return new Set(
      Object.values(imports).flatMap((target) => {
        const match = target.match(/^npm:(@?[^@]+)@/);
        return match ? [match[1]!] : [];
      }),
    );
  } catch {
    return undefined;
  }
}

/** Versions and data, from the stage records' keys and the data stage's outputs. */
function provenance(
  records: ReadonlyMap<string, StageRecord>,
  dataStage: string | undefined,
  config: Readonly<Record<string, unknown>>,
): ReportProvenance {
  const libraries = new Set<string>();
  for (const record of records.values()) {
    for (const library of Object.keys(record.fingerprint.libraries)) {
      libraries.add(library.replace(/_.*$/, "")); // `@4.22.0_seedrandom@3.0.5`: peers apart
    }
  }
  const direct = directLibraries();
  const named = [...libraries].filter((library) =>
    direct === undefined || direct.has(library.slice(0, library.lastIndexOf("@")))
  );
  const data = dataStage === undefined ? undefined : records.get(dataStage);
  const files = data?.fingerprint.data ?? {};
  const settings = config[dataStage ?? ""];
  return {
    runtime: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
    },
    libraries: named.sort(),
    dependencies: libraries.size - named.length,
    data: {
      settings: Object.fromEntries(
        Object.entries(typeof settings === "object" && settings !== null ? settings : {})
          .filter(([, value]) => value !== null),
      ) as Record<string, JsonValue>,
      outputs: Object.fromEntries(
        Object.entries(data?.outputs ?? {}).map(([name, entry]) => [name, entry.digest]),
      ),
      ...(Object.keys(files).length === 0 ? {} : {
        files: { count: Object.keys(files).length, digest: sha256(canonicalJson(files)) },
      }),
    },
  };
}

/**
 * Stores the run's report page once by content (`reports/pages/<digest>.html`),
 * writes the run's own small page `reports/<run id>.html` that leads there,
 * copies the page to `report.html` beside the store's folders, and
 * regenerates `reports/index.html`.
 *
 * @param storeRoot the store's folder
 * @param record the run's record
 * @param html its report page, from {@link runReportHtml}
 * @returns the path of `reports/<run id>.html`
 */
export function writeRunReport(storeRoot: string, record: RunRecord, html: string): string {
  const folder = join(storeRoot, "reports");
  const pages = join(folder, "pages");
  Deno.mkdirSync(pages, { recursive: true });
  const page = `${sha256(html)}.html`;
  const pagePath = join(pages, page);
  if (!isFile(pagePath)) writeAtomically(pagePath, html);
  const path = join(folder, `${record.id}.html`);
  writeAtomically(path, runPageHtml(record, `pages/${page}`));
  writeAtomically(join(storeRoot, "report.html"), html);
  writeRunsIndex(storeRoot);
  return path;
}

/**
 * Regenerates `reports/index.html` from the store's run records: every run,
 * linked to its report where it has one.
 *
 * @param storeRoot the store's folder
 * @returns the index's path
 */
export function writeRunsIndex(storeRoot: string): string {
  const folder = join(storeRoot, "reports");
  Deno.mkdirSync(folder, { recursive: true });
  const runs = readRuns(storeRoot);
  const path = join(folder, "index.html");
  writeAtomically(
    path,
    runsIndexHtml(runs, (id) => isFile(join(folder, `${id}.html`)) ? `${id}.html` : undefined),
  );
  return path;
}

/**
 * Drops the reports of runs that are no longer in the store: their pages in
 * `reports/`, the report pages no remaining run's page leads to, and
 * regenerates the index. For `runs rm` and `gc`, after they removed run
 * records; a run whose record is damaged keeps its report.
 *
 * @param storeRoot the store's folder
 * @param dryRun only say what would go
 * @returns the files removed (or that would be), relative to `reports/`
 */
export function pruneReports(storeRoot: string, dryRun = false): string[] {
  const folder = join(storeRoot, "reports");
  const entries = (path: string) => {
    try {
      return [...Deno.readDirSync(path)].filter((entry) => entry.isFile).map((entry) => entry.name);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
  };
  // Each remaining run's page, and each remaining group's (report/group_report.ts).
  const kept = new Set(
    readRuns(storeRoot).flatMap((run) => [run.id, ...(run.group ? [run.group.id] : [])])
      .map((id) => `${id}.html`),
  );
  for (const name of entries(join(storeRoot, "damaged", "runs"))) {
    kept.add(`${name.replace(/\.json(\.\d+)?$/, "")}.html`);
  }
  const removed: string[] = [];
  const linked = new Set<string>();
  for (const name of entries(folder)) {
    if (name === "index.html" || !name.endsWith(".html")) continue;
    if (!kept.has(name)) {
      removed.push(name);
      continue;
    }
    const page = Deno.readTextFileSync(join(folder, name)).match(/url=pages\/([0-9a-f]{64}\.html)/);
    if (page) linked.add(page[1]!);
  }
  for (const name of entries(join(folder, "pages"))) {
    if (!linked.has(name)) removed.push(`pages/${name}`);
  }
  if (!dryRun) {
    for (const name of removed) Deno.removeSync(join(folder, name));
    if (entries(folder).length > 0) writeRunsIndex(storeRoot);
  }
  return removed.sort();
}

/**
 * The store's readable run records. Read-only and quiet: a damaged record is
 * left where it is for `verify` and the commands to report, not moved aside
 * by a report that merely reads.
 */
function readRuns(storeRoot: string): RunRecord[] {
  const store = new Store(storeRoot, { readOnly: true });
  store.warn = () => {};
  return store.listRuns();
}

/** The run's own page: what it was and did, and a redirect to its report page. */
function runPageHtml(record: RunRecord, page: string): string {
  const target = `${page}#run=${encodeURIComponent(record.id)}`;
  const ran = record.stages.filter((stage) => stage.status === "ran").map((stage) => stage.name);
  const what = ran.length === 0
    ? "every stage was served from the cache, so its report is that of the run that computed " +
      "these results"
    : `${ran.join(", ")} ran; ${
      record.stages.length - ran.length
    } stages were served from the cache`;
  const escape = (text: string) =>
    text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<meta http-equiv="refresh" content="0; url=${escape(target)}">
<title>encluster run ${escape(record.id)}</title>
</head>
<body>
<p>Run <code>${escape(record.id)}</code> (${escape(record.startedAt)}, ${escape(record.status)}): ${
    escape(what)
  }.</p>
<p><a href="${escape(target)}">Open the report</a> · <a href="index.html">all runs</a></p>
</body>
</html>
`;
}

/** Writes beside the target and renames, so a reader never sees half a page. */
function writeAtomically(path: string, text: string): void {
  writeFileAtomically(path, new TextEncoder().encode(text), dirname(path));
}
