/**
 * What the commands share: argument parsing and exit codes, user paths and
 * the artifacts folder, text tables, finding and comparing runs, sweep grids
 * and `--export`.
 *
 * @module
 */
export * from "./command_line.ts";
export * from "./user_paths.ts";
export * from "./project_root.ts";
export * from "./text_table.ts";
export * from "./metrics_table.ts";
export * from "./find_run.ts";
export * from "./compare_runs.ts";
export * from "./sweep_grid.ts";
export * from "./export_run.ts";
export * from "./pipeline_options.ts";
