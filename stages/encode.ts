/**
 * The `encode` stage: runs the trained encoder over `normalise`'s training
 * and test rows, giving the encoding that `cluster` groups.
 *
 * @module
 */
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { Stage, StageOutputs } from "../engine/stage.ts";
import type { BackendChoice } from "../nn/backend.ts";
import { loadBackend } from "../nn/backend.ts";
import { backendToUse, tensorflowEnvironment } from "./_environment.ts";
import { encode } from "../nn/inference.ts";

/** The `encode` configuration section. */
export const encodeSection = {
  batchSize: {
    type: "integer",
    default: 10_000,
    min: 1,
    doc: "images encoded per batch: larger is a little faster and takes more memory " +
      "(10,000 MNIST images need about 60 MB)",
  },
} as const satisfies SectionSchema;

/** The `encode` section's values. */
export type EncodeConfig = SectionValues<typeof encodeSection>;

/** The configuration slice the `encode` stage reads. */
export interface EncodeStageConfig {
  readonly encode: EncodeConfig;
  readonly backend: BackendChoice;
}

/**
 * Encodes `normalise.train` and `normalise.test` (float32, N × features)
 * with the `train` stage's model. Outputs `train` and `test` (float32,
 * N × encodedDim).
 */
export const encodeStage: Stage<EncodeStageConfig> = {
  name: "encode",
  needs: ["normalise", "train"],
  reads: ["encode", "backend"],
  source: import.meta.url,
  environment: ({ backend }) => tensorflowEnvironment(backend),
  async run(inputs, context): Promise<StageOutputs> {
    const model = {
      modelJson: inputs.json("train", "modelJson"),
      weights: inputs.bytes("train", "weights"),
    };
    const { name } = await loadBackend(
      backendToUse(context.environment, context.config.backend),
      context.log,
    );
    context.note("backend", name);
    const { batchSize } = context.config.encode;
    const train = await encode(
      model,
      inputs.tensor("normalise", "train", "float32"),
      name,
      batchSize,
    );
    const test = await encode(
      model,
      inputs.tensor("normalise", "test", "float32"),
      name,
      batchSize,
    );
    context.log(
      `encoded ${train.shape[0]} training and ${test.shape[0]} test rows into ` +
        `${train.shape[1]} dimensions`,
    );
    return { train, test };
  },
};
