/**
 * Managing runs: naming and tagging, removing, `gc --keep-last` keeping what
 * is named, and one store for the project wherever a command runs from.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifactsFolder } from "../cli/user_paths.ts";
import { runScript } from "./_commands.ts";
import { createFixtureProject } from "./fixtures/fixture_project.ts";
import { runFixture } from "./fixtures/run_fixture.ts";

Deno.test("runs --name keeps a run through gc --keep-last 1, which frees the others", async () => {
  const project = createFixtureProject();
  const artifacts = join(project, "artifacts");
  try {
    const oldest = await runFixture(project, artifacts, ["source.n=3"]);
    const middle = await runFixture(project, artifacts, ["source.n=5"]);
    const newest = await runFixture(project, artifacts, ["source.n=2"]);
    const named = await runScript("commands/runs.ts", [
      oldest.record.id,
      "--name",
      "first try",
      "--tag",
      "paper",
      "--artifacts",
      artifacts,
    ]);
    assert.equal(named.code, 0, named.stderr);
    const listed = await runScript("commands/runs.ts", ["--artifacts", artifacts, "--json"]);
    const entry = JSON.parse(listed.stdout).runs.find((run: { id: string }) =>
      run.id === oldest.record.id
    );
    assert.equal(entry.name, "first try");
    assert.deepEqual(entry.tags, ["paper"]);

    // The fixture writes no reports; give the middle run a page of its own to follow it.
    Deno.mkdirSync(join(artifacts, "reports"), { recursive: true });
    Deno.writeTextFileSync(join(artifacts, "reports", `${middle.record.id}.html`), "<p>run</p>");
    const gc = await runScript("commands/gc.ts", [
      "--keep-last",
      "1",
      "--json",
      "--artifacts",
      artifacts,
    ]);
    assert.equal(gc.code, 0, gc.stderr);
    assert.deepEqual(JSON.parse(gc.stdout).runs, [middle.record.id]);
    assert.ok(
      JSON.parse(gc.stdout).reports.includes(`${middle.record.id}.html`),
      "the removed run's report page goes with it",
    );
    const left = await runScript("commands/runs.ts", ["--artifacts", artifacts, "--json"]);
    assert.deepEqual(
      JSON.parse(left.stdout).runs.map((run: { id: string }) => run.id),
      [newest.record.id, oldest.record.id],
    );
    // What only the middle run used is gone: running it again computes source again.
    const again = await runFixture(project, artifacts, ["source.n=5"]);
    assert.equal(again.record.stages[0]!.status, "ran");
    const kept = await runFixture(project, artifacts, ["source.n=3"]);
    assert.equal(kept.record.stages[0]!.status, "cached");

    const removed = await runScript("commands/runs.ts", [
      "rm",
      kept.record.id,
      "--artifacts",
      artifacts,
    ]);
    assert.equal(removed.code, 0, removed.stderr);
    const after = await runScript("commands/runs.ts", ["--artifacts", artifacts, "--json"]);
    assert.ok(
      !JSON.parse(after.stdout).runs.some((run: { id: string }) => run.id === kept.record.id),
    );
  } finally {
    Deno.removeSync(project, { recursive: true });
  }
});

Deno.test("runs rm of an unknown id changes nothing and exits 2", async () => {
  const project = createFixtureProject();
  const artifacts = join(project, "artifacts");
  try {
    await runFixture(project, artifacts);
    const result = await runScript("commands/runs.ts", [
      "rm",
      "nonsense",
      "--artifacts",
      artifacts,
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Unknown run 'nonsense'/);
    const runs = await runScript("commands/runs.ts", ["--artifacts", artifacts, "--json"]);
    assert.equal(JSON.parse(runs.stdout).runs.length, 1);
  } finally {
    Deno.removeSync(project, { recursive: true });
  }
});

Deno.test("artifactsFolder() is artifacts/ next to deno.json wherever the command runs from", () => {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const saved = { cwd: Deno.env.get("INIT_CWD"), store: Deno.env.get("ENCLUSTER_ARTIFACTS") };
  try {
    Deno.env.delete("ENCLUSTER_ARTIFACTS");
    Deno.env.set("INIT_CWD", join(root, "configs"));
    assert.equal(artifactsFolder(undefined), join(root, "artifacts"));
    // A folder the user names is taken from where they typed it.
    assert.equal(artifactsFolder("mine"), join(root, "configs", "mine"));
  } finally {
    if (saved.cwd === undefined) Deno.env.delete("INIT_CWD");
    else Deno.env.set("INIT_CWD", saved.cwd);
    if (saved.store !== undefined) Deno.env.set("ENCLUSTER_ARTIFACTS", saved.store);
  }
});
