/**
 * Benchmarks of the data stages and the tensor file format.
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { locateMnist } from "../data/mnist.ts";
import type { StageOutputs } from "../engine/stage.ts";
import { StageInputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { decodeTensor, encodeTensor } from "../engine/store/tensor_file.ts";
import type { LoadConfig } from "../stages/load.ts";
import { loadSection, loadStage } from "../stages/load.ts";
import { normaliseStage } from "../stages/normalise.ts";
import { testContext } from "../tests/_context.ts";
import type { Benchmark } from "./benchmark.ts";

function loadConfig(overrides: Partial<LoadConfig> = {}): LoadConfig {
  const defaults = Object.fromEntries(
    Object.entries(loadSection).map(([key, field]) => [key, field.default]),
  ) as LoadConfig;
  return { ...defaults, ...overrides };
}

async function loadAndNormalise(config: LoadConfig): Promise<StageOutputs> {
  const scratchDir = Deno.makeTempDirSync({ prefix: "encluster-bench-" });
  try {
    const loaded = await loadStage.run(
      new StageInputs({}),
      testContext({ load: config }, scratchDir),
    );
    return await normaliseStage.run(
      new StageInputs({ load: loaded }),
      testContext({ normalise: { standardise: false } }, scratchDir),
    );
  } finally {
    Deno.removeSync(scratchDir, { recursive: true });
  }
}

let gzipDir: string | undefined;
let normalisedTrain: Tensor | undefined;

/** The data benchmarks, for `deno task bench`. */
export const benchmarks: Benchmark[] = [
  {
    // The MNIST dataset always brings its 10,000 test images along; they are included.
    name: "load+normalise MNIST 60000",
    unit: "ms",
    higherIsBetter: false,
    repeats: 5,
    async measure() {
      const start = performance.now();
      await loadAndNormalise(loadConfig());
      return performance.now() - start;
    },
  },
  {
    name: "load+normalise MNIST 60000 from gzip IDX",
    unit: "ms",
    higherIsBetter: false,
    repeats: 5,
    async setup() {
      const files = locateMnist();
      gzipDir = await Deno.makeTempDir({ prefix: "encluster-bench-gz-" });
      for (const name of ["trainImages", "trainLabels"] as const) {
        await Deno.writeFile(`${gzipDir}/${name}.gz`, gzipSync(await Deno.readFile(files[name])));
      }
    },
    async measure() {
      const start = performance.now();
      await loadAndNormalise(loadConfig({
        dataset: "idx",
        trainImages: `${gzipDir}/trainImages.gz`,
        trainLabels: `${gzipDir}/trainLabels.gz`,
      }));
      return performance.now() - start;
    },
    async teardown() {
      if (gzipDir !== undefined) await Deno.remove(gzipDir, { recursive: true });
    },
  },
  {
    name: "tensor file encode+decode float32 60000×784",
    unit: "ms",
    higherIsBetter: false,
    repeats: 5,
    async setup() {
      normalisedTrain = (await loadAndNormalise(loadConfig())).train as Tensor;
    },
    measure() {
      const start = performance.now();
      decodeTensor(encodeTensor(normalisedTrain as Tensor));
      return Promise.resolve(performance.now() - start);
    },
  },
];
