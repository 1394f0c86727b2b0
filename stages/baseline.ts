/**
 * The `baseline` stage: k-means on the normalised pixels themselves, the
 * yardstick the encoding must beat (the seed post reports purity 0.62 for it
 * against 0.6989 on the encoding).
 *
 * @module
 */
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { Stage, StageOutputs } from "../engine/stage.ts";
import { checkClusterInputs, kmeansOutputs, kmeansSection } from "./_kmeans.ts";

/**
 * The `baseline` configuration section: the k-means fields of `cluster`, with fewer
 * restarts by default. One initialisation on the 60,000×784 MNIST pixels
 * takes 3–5 s here (50–150 iterations; against well under a second on a
 * 3-d encoding), so 3 restarts keep the baseline around 10–15 s while still
 * guarding against one unlucky start; on pixels the restarts' inertias
 * differ by well under 1%, so more would buy little.
 */
export const baselineSection = {
  ...kmeansSection,
  k: { ...kmeansSection.k, doc: "number of clusters of the pixel baseline" },
  nInit: {
    ...kmeansSection.nInit,
    default: 3,
    doc: "number of initialisations of the pixel baseline; the one with the lowest inertia " +
      "is kept. Each costs 3–5 s on the 60,000 MNIST images",
  },
} as const satisfies SectionSchema;

/** The `baseline` section's values. */
export type BaselineConfig = SectionValues<typeof baselineSection>;

/**
 * Clusters `normalise`'s training pixels with k-means and assigns the test
 * pixels to the centroids. Outputs `centroids` (float32 k×pixels),
 * `trainAssignments`, `testAssignments` (int32) and `summary`, as `cluster`.
 *
 * @throws {ConfigError} when `baseline.k` exceeds the number of training images
 */
export const baselineStage: Stage<{ baseline: BaselineConfig }> = {
  name: "baseline",
  needs: ["normalise"],
  reads: ["baseline"],
  source: import.meta.url,
  run(inputs, context): Promise<StageOutputs> {
    const train = inputs.tensor("normalise", "train", "float32");
    const test = inputs.tensor("normalise", "test", "float32");
    const config = context.config.baseline;
    // A configuration error becomes a rejection, not a synchronous throw.
    return new Promise((resolve) => {
      checkClusterInputs(train, test, config.k, "baseline");
      resolve(kmeansOutputs(train, test, config, context));
    });
  },
};
