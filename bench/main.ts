/**
 * `deno task bench [--json] [--filter TEXT]`: runs every registered
 * benchmark, reports the median of its repeats (and the spread) as a table,
 * or as one JSON document on stdout with `--json`.
 *
 * @module
 */
import { parseCommandLine, runCommand } from "../cli/command_line.ts";
import { textTable } from "../cli/text_table.ts";
import type { Benchmark } from "./benchmark.ts";
import { benchmarks as cacheBenchmarks } from "./cache_bench.ts";
import { benchmarks as dataBenchmarks } from "./data_bench.ts";
import { benchmarks as kmeansBenchmarks } from "./kmeans_bench.ts";
import { benchmarks as manifoldBenchmarks } from "./manifold_bench.ts";
import { benchmarks as parallelBenchmarks } from "./parallel_bench.ts";
import { benchmarks as renderBenchmarks } from "./render_bench.ts";
import { benchmarks as trainBenchmarks } from "./train_bench.ts";

/** Every benchmark, in report order. */
const registry: readonly Benchmark[] = [
  ...cacheBenchmarks,
  ...dataBenchmarks,
  ...trainBenchmarks,
  ...kmeansBenchmarks,
  ...manifoldBenchmarks,
  ...renderBenchmarks,
  ...parallelBenchmarks,
];

const usage = `Usage: deno task bench [--json] [--filter TEXT]

Measures each figure several times and reports the median; these machines
are shared, so compare figures from one run as ratios.`;

/** One benchmark's result. */
interface Figure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  repeats: number;
  higherIsBetter: boolean;
}

runCommand(async () => {
  const { values } = parseCommandLine(
    Deno.args,
    {
      json: { type: "boolean" },
      filter: { type: "string" },
    },
    false,
    usage,
  );
  const selected = registry.filter((benchmark) =>
    values.filter === undefined || benchmark.name.includes(values.filter)
  );
  const figures: Figure[] = [];
  for (const benchmark of selected) {
    console.error(`measuring: ${benchmark.name} (${benchmark.repeats}×)`);
    await benchmark.setup?.();
    const samples: number[] = [];
    for (let i = 0; i < benchmark.repeats; i++) samples.push(await benchmark.measure());
    await benchmark.teardown?.();
    samples.sort((a, b) => a - b);
    figures.push({
      name: benchmark.name,
      unit: benchmark.unit,
      median: median(samples),
      min: samples[0]!,
      max: samples[samples.length - 1]!,
      repeats: samples.length,
      higherIsBetter: benchmark.higherIsBetter,
    });
  }
  if (values.json) {
    console.log(JSON.stringify({ figures }, null, 2));
    return;
  }
  const rows = figures.map((figure) => [
    figure.name,
    `${format(figure.median)} ${figure.unit}`,
    `${format(figure.min)}–${format(figure.max)}`,
    String(figure.repeats),
  ]);
  for (const line of textTable(["benchmark", "median", "range", "runs"], rows)) console.log(line);
});

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function format(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}
