/**
 * Experiments: running configurations once or as groups of replicates, here
 * or on a Slurm cluster; the history of runs and groups, finding the one a
 * user names, and comparing two with the noise between seeds in mind.
 *
 * @module
 */
export * from "./pipeline_session.ts";
export * from "./run_experiment.ts";
export * from "./run_points.ts";
export * from "./replicate_configs.ts";
export * from "./metric_summary.ts";
export * from "./history.ts";
export * from "./find_run.ts";
export * from "./compare_runs.ts";
export * from "./slurm_executor.ts";
export * from "./slurm_section.ts";
export * from "./slurm_job_file.ts";
