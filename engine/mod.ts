/**
 * The DAG engine: the stage contract, cache keys (fingerprint, code digest),
 * the runner, explanations of why a stage ran, and the store. It imports
 * nothing from the rest of the project and knows no stage, output or
 * setting by name, so it could be published alone; the pipeline declares its
 * stages in `stages/dag.ts` and hands them to {@link PipelineRun}.
 *
 * @module
 */
export * from "./stage.ts";
export * from "./stage_order.ts";
export * from "./tensor.ts";
export * from "./runner.ts";
export * from "./run_failure.ts";
export * from "./run_provenance.ts";
export * from "./scheduler.ts";
export * from "./stage_thread.ts";
export * from "./run_id.ts";
export * from "./key/mod.ts";
export * from "./error_message.ts";
export * from "./is_file.ts";
export * from "./store/mod.ts";
