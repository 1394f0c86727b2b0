/**
 * The pipeline's declaration: its stages, and the configuration schema made
 * of the sections they read. Which stage needs which is declared by each
 * stage (`needs`); the runner orders them.
 *
 *     load → normalise → train → encode → cluster → evaluate → render
 *                   └──────────── baseline (k-means on pixels) ──┘
 *
 * @module
 */
import type { ConfigSchema } from "../core/schema.ts";
import type { Stage } from "../core/stage.ts";
import { baselineSection, baselineStage } from "./baseline.ts";
import { loadSection, loadStage } from "./load.ts";
import { normaliseSection, normaliseStage } from "./normalise.ts";

/** Every stage of the pipeline, in the order they are reported. */
export const pipelineStages: readonly Stage<never>[] = [loadStage, normaliseStage, baselineStage];

/** The configuration schema: one section per stage (and shared fields). */
export const configSchema = {
  load: loadSection,
  normalise: normaliseSection,
  baseline: baselineSection,
} as const satisfies ConfigSchema;
