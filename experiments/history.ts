/**
 * The run history as a user thinks of it: each entry one experiment, either
 * a single run or a group of replicates (one configuration run with several
 * seeds, each replicate a run record of its own). Commands that name, list
 * or compare runs work on these entries.
 *
 * @module
 */
import type { JsonValue } from "../engine/stage.ts";
import type { RunRecord } from "../engine/store/records.ts";
import { summarizeMetrics } from "./metric_summary.ts";

/** One entry of the history. */
export interface Experiment {
  /** The run's id, or the group's. */
  readonly id: string;
  /** The run, or the group's replicates in order. */
  readonly runs: readonly RunRecord[];
  /** True for a group of replicates (even a group of one). */
  readonly grouped: boolean;
  readonly startedAt: string;
  /** The configuration: the run's, or the group's first replicate's (seeds not offset). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The run's metrics, or the group's summarised (mean, sd, min, max, n, values). */
  readonly metrics: JsonValue;
  /** `failed` when the run, or any replicate, failed. */
  readonly status: "succeeded" | "failed";
}

/**
 * The history's entries, oldest first: runs outside a group as they are,
 * each group once, at the place of its first replicate.
 *
 * @param runs every run record, oldest first
 * @returns the entries
 */
export function experimentHistory(runs: readonly RunRecord[]): Experiment[] {
  const groups = new Map<string, RunRecord[]>();
  const order: (RunRecord | string)[] = [];
  for (const run of runs) {
    if (run.group === undefined) {
      order.push(run);
      continue;
    }
    const members = groups.get(run.group.id);
    if (members === undefined) {
      groups.set(run.group.id, [run]);
      order.push(run.group.id);
    } else {
      members.push(run);
    }
  }
  return order.map((entry) => {
    if (typeof entry !== "string") {
      return {
        id: entry.id,
        runs: [entry],
        grouped: false,
        startedAt: entry.startedAt,
        config: entry.config,
        metrics: entry.metrics,
        status: entry.status ?? "succeeded",
      };
    }
    const members = groups.get(entry)!.sort((a, b) => a.group!.index - b.group!.index);
    const first = members[0]!;
    return {
      id: entry,
      runs: members,
      grouped: true,
      startedAt: first.startedAt,
      config: first.config,
      metrics: summarizeMetrics(members.map((run) => run.metrics)),
      status: members.some((run) => run.status === "failed") ? "failed" : "succeeded",
    };
  });
}
