/**
 * Two experiments on one store at once against one after the other: the
 * seed configuration on 10,000 MNIST images for 3 epochs with `train.seed`
 * 0 and 1, as two `deno task pipeline` processes. The figure is the ratio of
 * the wall times (together / one after the other), measured side by side in
 * each repeat; the two ways must give the same metrics to the bit.
 *
 * @module
 */
import type { Benchmark } from "./benchmark.ts";

const pipeline = new URL("../pipeline.ts", import.meta.url).pathname;
const permissions = ["--allow-read", "--allow-write", "--allow-env", "--allow-ffi", "--allow-sys"];
const settings = ["--set", "load.limit=10000", "--set", "train.epochs=3"];

/** Runs one pipeline process and returns its metrics. */
async function pipelineRun(artifacts: string, seed: number): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...permissions,
      pipeline,
      ...settings,
      "--set",
      `train.seed=${seed}`,
      "--artifacts",
      artifacts,
      "--json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  return JSON.stringify(JSON.parse(new TextDecoder().decode(output.stdout)).metrics);
}

async function ratio(): Promise<number> {
  const serialStore = await Deno.makeTempDir({ prefix: "encluster-bench-serial-" });
  const parallelStore = await Deno.makeTempDir({ prefix: "encluster-bench-parallel-" });
  try {
    let started = performance.now();
    const serial = [await pipelineRun(serialStore, 0), await pipelineRun(serialStore, 1)];
    const serialSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const together = await Promise.all([
      pipelineRun(parallelStore, 0),
      pipelineRun(parallelStore, 1),
    ]);
    const togetherSeconds = (performance.now() - started) / 1000;
    if (serial.join() !== together.join()) {
      throw new Error(`runs side by side gave other metrics: ${serial} against ${together}`);
    }
    console.error(
      `  one after the other ${serialSeconds.toFixed(1)} s, together ` +
        `${togetherSeconds.toFixed(1)} s`,
    );
    return togetherSeconds / serialSeconds;
  } finally {
    await Deno.remove(serialStore, { recursive: true });
    await Deno.remove(parallelStore, { recursive: true });
  }
}

export const benchmarks: Benchmark[] = [{
  name: "two pipelines on one store at once / one after the other " +
    "(seed.json, 10,000 images, 3 epochs, train.seed 0 and 1)",
  unit: "×",
  higherIsBetter: false,
  repeats: 3,
  measure: ratio,
}];
