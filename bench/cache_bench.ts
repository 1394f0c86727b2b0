/**
 * The cost of a fully cached run: the whole process, from `deno run` to exit,
 * with a 200 MB object in the store (a cache hit must not re-hash it).
 *
 * @module
 */
import { join } from "node:path";
import { createFixtureProject } from "../tests/fixtures/fixture_project.ts";
import type { Benchmark } from "./benchmark.ts";

const runner = new URL("../tests/fixtures/run_fixture.ts", import.meta.url).pathname;
let project = "";
let artifacts = "";

async function runOnce(): Promise<number> {
  const started = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      runner,
      project,
      artifacts,
      "--set",
      "source.size=50000000",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  return seconds;
}

export const benchmarks: Benchmark[] = [{
  name: "fully cached run, 200 MB object in the store (process wall time)",
  unit: "s",
  higherIsBetter: false,
  repeats: 5,
  async setup() {
    project = createFixtureProject();
    artifacts = join(project, "artifacts");
    await runOnce(); // fills the cache
  },
  measure: runOnce,
  async teardown() {
    await Deno.remove(project, { recursive: true });
  },
}];
