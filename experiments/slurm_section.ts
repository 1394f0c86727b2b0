/**
 * The `slurm` configuration section: what each job asks the cluster for when
 * points or replicates run with `--executor slurm`, and what to do with a
 * job the cluster kills. No stage reads it, so it is part of no cache key:
 * changing the resources re-runs nothing.
 *
 * @module
 */
import type { SectionSchema, SectionValues } from "../config/schema.ts";

/** The `slurm` configuration section. */
export const slurmSection = {
  cpusPerTask: {
    type: "integer",
    default: 2,
    min: 1,
    doc: "cores of each job (sbatch --cpus-per-task); the job's stages run within them",
  },
  memory: {
    type: "string",
    default: "4G",
    nullable: true,
    doc: "memory of each job (sbatch --mem, e.g. 4G); null: the cluster's default",
  },
  timeLimit: {
    type: "string",
    default: null,
    nullable: true,
    doc: "time limit of each job (sbatch --time, e.g. 2:00:00); null: the partition's default",
  },
  partition: {
    type: "string",
    default: null,
    nullable: true,
    doc: "the partition the jobs queue in (sbatch --partition); null: the default one",
  },
  extraOptions: {
    type: "string",
    default: null,
    nullable: true,
    doc: "more sbatch options, separated by spaces (e.g. '--qos=short --account=lab'); they " +
      "come last, so they win",
  },
  onKilled: {
    type: "enum",
    values: ["resubmit", "report"],
    default: "resubmit",
    doc: "a job the cluster cancels, times out or preempts: 'resubmit' runs it again (training " +
      "resumes from its last checkpoint), 'report' reports it as failed",
  },
  maxResubmits: {
    type: "integer",
    default: 2,
    min: 0,
    doc: "how many times one job is resubmitted at most",
  },
  pollSeconds: {
    type: "number",
    default: 5,
    min: 0.1,
    doc: "seconds between two looks at the queue",
  },
} as const satisfies SectionSchema;

/** The `slurm` section's values. */
export type SlurmConfig = SectionValues<typeof slurmSection>;
