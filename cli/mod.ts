/**
 * What the commands share: argument parsing, whole-number options and exit
 * codes, user paths and the artifacts folder, text tables, sweep grids and
 * `--export`.
 *
 * @module
 */
export * from "./command_line.ts";
export * from "./user_paths.ts";
export * from "./jobs_option.ts";
export * from "./project_root.ts";
export * from "./text_table.ts";
export * from "./metrics_table.ts";
export * from "./sweep_grid.ts";
export * from "./export_run.ts";
