/**
 * The `evaluate` stage: scores the clusters against the known labels, on
 * the training set, on the test set, and for the pixel baseline.
 *
 * @module
 */
import { contingencyRows, contingencyTable } from "../ml/metrics/contingency.ts";
import { scoreClustering } from "../ml/metrics/metrics.ts";
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { Stage, StageOutputs } from "../engine/stage.ts";
import { javascriptEnvironment } from "./_environment.ts";

/** The `evaluate` configuration section: nothing to choose yet. */
export const evaluateSection = {} as const satisfies SectionSchema;

/** The `evaluate` section's values. */
export type EvaluateConfig = SectionValues<typeof evaluateSection>;

/**
 * Compares `cluster`'s assignments (train and test) and `baseline`'s
 * (train) with `load`'s labels; labels of -1 (unknown) are left out.
 * Outputs `metrics` — `{ purity, weightedPurity, accuracy, nmi, ari, k, n,
 * test: {…}, baseline: {…} }` — and `contingency` — `{ train, test,
 * baseline }`, each rows = clusters, columns = labels 0..L-1, where L is one
 * more than the largest label in either split. A score is null when its set
 * has no labelled point (unlabelled data, or no test split).
 */
export const evaluateStage: Stage<{ evaluate: EvaluateConfig }> = {
  name: "evaluate",
  needs: ["load", "cluster", "baseline"],
  reads: ["evaluate"],
  source: import.meta.url,
  environment: javascriptEnvironment,
  run(inputs, context): Promise<StageOutputs> {
    const trainLabels = inputs.tensor("load", "trainLabels", "int32").data;
    const testLabels = inputs.tensor("load", "testLabels", "int32").data;
    const k = inputs.tensor("cluster", "centroids", "float32").shape[0] ?? 0;
    const baselineK = inputs.tensor("baseline", "centroids", "float32").shape[0] ?? 0;
    const labelCount = labelCountOf(trainLabels, testLabels);

    const tables = {
      train: contingencyTable(
        inputs.tensor("cluster", "trainAssignments", "int32").data,
        trainLabels,
        k,
        labelCount,
      ),
      test: contingencyTable(
        inputs.tensor("cluster", "testAssignments", "int32").data,
        testLabels,
        k,
        labelCount,
      ),
      baseline: contingencyTable(
        inputs.tensor("baseline", "trainAssignments", "int32").data,
        trainLabels,
        baselineK,
        labelCount,
      ),
    };
    const train = scoreClustering(tables.train);
    const test = scoreClustering(tables.test);
    const baseline = scoreClustering(tables.baseline);
    for (const [set, result] of Object.entries({ train, test, baseline })) {
      if (result.n === 0) context.log(`${set}: no labelled points, so no scores`);
    }
    context.log(
      `purity ${format(train.purity)} (test ${format(test.purity)}, baseline ` +
        `${format(baseline.purity)})`,
    );

    return Promise.resolve({
      metrics: { ...train, test, baseline },
      contingency: {
        train: contingencyRows(tables.train),
        test: contingencyRows(tables.test),
        baseline: contingencyRows(tables.baseline),
      },
    });
  },
};

/** One more than the largest label (-1s, unknown, do not count). */
function labelCountOf(...labelSets: Int32Array[]): number {
  let largest = -1;
  for (const labels of labelSets) for (const label of labels) largest = Math.max(largest, label);
  return largest + 1;
}

function format(score: number | null): string {
  return score === null ? "—" : score.toFixed(4);
}
