/**
 * The file a Slurm job of `--executor slurm` reads (what to run) and the one
 * it writes back (what came of it): the contract between the submitting
 * command and `commands/slurm_job.ts` on the node.
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import type { RunGroup } from "../engine/store/records.ts";

/** What one job runs. */
export interface SlurmJob {
  /** The store, on the file system the nodes share. */
  readonly store: string;
  /** The replicate's resolved configuration (seeds already offset). */
  readonly config: Config;
  /** The configuration file as the user named it, for the run record. */
  readonly configFile: string;
  /** Put before the job's log lines (the point's settings). */
  readonly label: string;
  /** Its place in a group of replicates, if any. */
  readonly group?: RunGroup;
  /** Where to write the {@link SlurmJobResult}. */
  readonly result: string;
}

/** What the job reports back. */
export interface SlurmJobResult {
  /** The run record it wrote. */
  readonly run: string;
  readonly status: "succeeded" | "failed";
  readonly report?: string;
  readonly error?: string;
}
