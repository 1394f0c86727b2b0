/**
 * Replicates: the same configuration run with other seeds. Replicate i adds
 * i to every seed setting (training, manifold and cluster seeds, as the
 * pipeline declares them), so replicate 0 is the configuration itself and
 * the group's spread is the seeds' noise.
 *
 * @example
 * ```ts
 * import { replicateConfigs } from "./replicate_configs.ts";
 *
 * const configs = replicateConfigs({ train: { seed: 5, epochs: 3 } }, ["train.seed"], 3);
 * const seeds = configs.map((config) => (config.train as { seed: number }).seed);
 * if (seeds.join() !== "5,6,7") throw new Error(seeds.join());
 * ```
 *
 * @module
 */
import type { Config } from "../config/config.ts";

/**
 * The configurations of `count` replicates of `config`.
 *
 * @param config the resolved configuration
 * @param seedKeys dotted keys of the seed settings (`train.seed`)
 * @param count how many replicates (≥ 1)
 * @returns `count` configurations, the first equal to `config`
 * @throws {RangeError} when a seed key is not an integer setting of the configuration
 */
export function replicateConfigs(
  config: Config,
  seedKeys: readonly string[],
  count: number,
): Config[] {
  return Array.from({ length: count }, (_, index) => {
    const replicate = structuredClone(config);
    for (const key of seedKeys) {
      const [section, field] = key.split(".");
      const values = replicate[section!] as Record<string, unknown> | undefined;
      const seed = field === undefined ? replicate[section!] : values?.[field];
      if (typeof seed !== "number" || !Number.isInteger(seed)) {
        throw new RangeError(`Seed setting '${key}' is not an integer in the configuration`);
      }
      if (field === undefined) replicate[section!] = seed + index;
      else values![field] = seed + index;
    }
    return replicate;
  });
}
