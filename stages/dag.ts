/**
 * The pipeline's declaration: its stages, and the configuration schema made
 * of the sections they read. Which stage needs which is declared by each
 * stage (`needs`); the runner orders them.
 *
 *     load → normalise → train → encode → manifold → cluster → evaluate → render
 *                   └──────────── baseline (k-means on pixels) ─────────┘
 *
 * (`manifold` passes the encoding on unchanged unless `manifold.method` is
 * "umap".) This is the only module that knows the stages by name: the engine
 * and the commands learn from {@link pipeline} which output holds the
 * metrics, which stage draws the figures and what `--export` writes.
 *
 * @module
 */
import { backendField } from "../nn/backend.ts";
import { slurmSection } from "../experiments/slurm_section.ts";
import type { ConfigSchema } from "../config/schema.ts";
import type { OutputRef } from "../engine/runner.ts";
import type { Stage } from "../engine/stage.ts";
import type { ReportSources } from "../report/run_report.ts";
import { baselineSection, baselineStage } from "./baseline.ts";
import { clusterSection, clusterStage } from "./cluster.ts";
import { encodeSection, encodeStage } from "./encode.ts";
import { evaluateSection, evaluateStage } from "./evaluate.ts";
import { loadSection, loadStage } from "./load.ts";
import { manifoldSection, manifoldStage } from "./manifold.ts";
import { normaliseSection, normaliseStage } from "./normalise.ts";
import { renderSection, renderStage } from "./render.ts";
import { trainSection, trainStage } from "./train.ts";

/** Every stage of the pipeline, in the order they are reported. */
export const pipelineStages: readonly Stage<never>[] = [
  loadStage,
  normaliseStage,
  trainStage,
  encodeStage,
  manifoldStage,
  clusterStage,
  baselineStage,
  evaluateStage,
  renderStage,
];

/** The configuration schema: one section per stage, and the compute backend. */
export const configSchema = {
  load: loadSection,
  normalise: normaliseSection,
  train: trainSection,
  encode: encodeSection,
  manifold: manifoldSection,
  cluster: clusterSection,
  baseline: baselineSection,
  evaluate: evaluateSection,
  render: renderSection,
  // Read by no stage: how jobs run on a cluster changes no result.
  slurm: slurmSection,
  backend: backendField,
} as const satisfies ConfigSchema;

/** One `.npy` file of `--export`: its name and the stage output it holds. */
export interface ExportedArray extends OutputRef {
  readonly file: string;
}

/** The pipeline as the commands run it. */
export const pipeline = {
  stages: pipelineStages,
  schema: configSchema,
  /** The output (JSON) that a run record keeps as the run's metrics. */
  metrics: { stage: "evaluate", output: "metrics" },
  /** The stage whose outputs are the run's figures (PNG bytes). */
  figures: "render",
  /** The seed settings that `--replicates` offsets by 0, 1, 2, … */
  seeds: ["train.seed", "manifold.seed", "cluster.seed"],
  /** What the report shows besides the figures (report/run_report.ts). */
  report: {
    figures: "render",
    explorer: { stage: "render", output: "explorer" },
    data: "load",
    /** The reference post's purities are shown when these keys have the seed's values. */
    comparableWithPost: [
      "load.dataset",
      "train.encoderLayers",
      "train.encodedDim",
      "train.hiddenActivation",
      "train.codeActivation",
      "train.outputActivation",
      "train.loss",
      "manifold.method",
      "cluster.method",
      "cluster.k",
    ],
  },
  /** The arrays `--export` writes, besides the metrics and figures. */
  exports: [
    { file: "encoding.npy", stage: "encode", output: "train" },
    { file: "labels.npy", stage: "load", output: "trainLabels" },
    { file: "assignments.npy", stage: "cluster", output: "trainAssignments" },
    { file: "centroids.npy", stage: "cluster", output: "centroids" },
  ],
} as const satisfies {
  stages: readonly Stage<never>[];
  schema: ConfigSchema;
  metrics: OutputRef;
  figures: string;
  seeds: readonly string[];
  report: ReportSources;
  exports: readonly ExportedArray[];
};
