import assert from "node:assert/strict";
import { join } from "node:path";
import { pruneReports, stageProvenance, writeRunReport } from "../report/run_report.ts";
import { differingSettings, runsIndexHtml } from "../report/runs_index.ts";
import { Store } from "../engine/store/store.ts";
import type { RunRecord, StageOutcome } from "../engine/store/records.ts";
import { moduleTemporaryFolder } from "./_temp.ts";

function outcome(name: string, status: "ran" | "cached", key: string): StageOutcome {
  return {
    name,
    key,
    status,
    reason: status === "ran" ? "never run before" : "",
    differences: [],
    seconds: status === "ran" ? 12 : 0,
    computedAt: "2026-11-27T10:00:00.000Z",
    computeSeconds: 12,
  };
}

function runRecord(id: string, k: number, status: "ran" | "cached"): RunRecord {
  return {
    id,
    startedAt: `2026-11-27T10:0${id.at(-1)}:00.000Z`,
    finishedAt: `2026-11-27T10:0${id.at(-1)}:30.000Z`,
    status: "succeeded",
    configFile: null,
    config: { cluster: { k, nInit: 2 }, backend: "auto" },
    stages: [outcome("train", status, "t".repeat(64))],
    metrics: { purity: 0.5 + k / 100 },
  };
}

function storeWithRuns(...records: RunRecord[]): string {
  const root = moduleTemporaryFolder("encluster-reports-");
  const store = new Store(root);
  store.ensureLayout();
  for (const record of records) store.writeRun(record);
  store.close();
  return root;
}

Deno.test("writeRunReport() keeps one page for equal reports and a small page for every run", () => {
  const [a, b, c] = [
    runRecord("run-1", 10, "ran"),
    runRecord("run-2", 12, "ran"),
    runRecord("run-3", 12, "cached"),
  ];
  const root = storeWithRuns(a, b, c);
  writeRunReport(root, a, "<p>k 10</p>");
  writeRunReport(root, b, "<p>k 12</p>");
  const path = writeRunReport(root, c, "<p>k 12</p>");
  assert.equal(path, join(root, "reports", "run-3.html"));
  const pages = [...Deno.readDirSync(join(root, "reports", "pages"))].map((entry) => entry.name);
  assert.equal(pages.length, 2);
  const stub = Deno.readTextFileSync(path);
  assert.match(
    stub,
    /<meta http-equiv="refresh" content="0; url=pages\/[0-9a-f]{64}\.html#run=run-3">/,
  );
  assert.match(stub, /every stage was served from the cache/);
  assert.equal(Deno.readTextFileSync(join(root, "report.html")), "<p>k 12</p>");
  const index = Deno.readTextFileSync(join(root, "reports", "index.html"));
  assert.equal(index.match(/<tr data-run=/g)?.length, 3);
});

Deno.test("pruneReports() drops the pages of removed runs and the report pages none leads to", () => {
  const [a, b, c] = [
    runRecord("run-1", 10, "ran"),
    runRecord("run-2", 12, "ran"),
    runRecord("run-3", 12, "cached"),
  ];
  const root = storeWithRuns(a, b, c);
  for (const [record, html] of [[a, "k 10"], [b, "k 12"], [c, "k 12"]] as const) {
    writeRunReport(root, record, html);
  }
  const store = new Store(root);
  store.writeRun({ ...runRecord("run-4", 10, "cached"), group: { id: "g-1", index: 0, size: 1 } });
  Deno.writeTextFileSync(join(root, "reports", "g-1.html"), "a group's page");
  store.removeRun("run-2");
  assert.deepEqual(pruneReports(root), ["run-2.html"], "run-3 still leads to the k 12 page");
  store.removeRun("run-3");
  const removed = pruneReports(root, true);
  assert.equal(removed.length, 2);
  assert.equal(removed[1], "run-3.html");
  assert.match(removed[0]!, /^pages\/[0-9a-f]{64}\.html$/);
  assert.ok(Deno.statSync(join(root, "reports", "run-3.html")).isFile, "a dry run removes nothing");
  pruneReports(root);
  assert.equal([...Deno.readDirSync(join(root, "reports", "pages"))].length, 1);
  assert.ok(Deno.statSync(join(root, "reports", "g-1.html")).isFile, "a group's page stays");
  const index = Deno.readTextFileSync(join(root, "reports", "index.html"));
  assert.deepEqual([...index.matchAll(/<tr data-run="([^"]+)"/g)].map((match) => match[1]), [
    "run-4",
    "run-1",
  ]);
  store.close();
});

Deno.test("stageProvenance() names the earlier run that computed a cached stage, and why", () => {
  const first = runRecord("run-1", 10, "ran");
  const later = runRecord("run-2", 10, "cached");
  const [train] = stageProvenance(later, new Map(), [first, later]);
  assert.equal(train?.computedBy, "run-1");
  assert.equal(train?.reason, "never run before");
  assert.equal(train?.computeSeconds, 12);
  assert.equal(train?.computedAt, "2026-11-27T10:00:00.000Z");
});

Deno.test("runsIndexHtml() makes a column of each setting that differs, and none of the others", () => {
  const runs = [runRecord("run-1", 10, "ran"), runRecord("run-2", 12, "ran")];
  assert.deepEqual(differingSettings(runs), ["cluster.k"]);
  const html = runsIndexHtml(runs, (id) => `${id}.html`);
  assert.match(
    html,
    /<th scope="col" class="setting" data-column="\d+" title="sort by cluster\.k">cluster\.k<\/th>/,
  );
  assert.doesNotMatch(html, />cluster\.nInit</);
  assert.match(html, /<td class="run" data-sort="run-2"><a href="run-2\.html">run-2<\/a><\/td>/);
  assert.match(html, /<td class="metric number" data-sort="0\.62">0\.6200<\/td>/);
});
