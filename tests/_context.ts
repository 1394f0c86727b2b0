import type { JsonValue, StageContext } from "../engine/stage.ts";
import { moduleTemporaryFolder } from "./_temp.ts";

/**
 * A stage context for running one stage in a test, without a runner or store.
 * Notes are collected in `notes`; log lines in `logs`.
 */
export function testContext<C>(
  config: C,
  scratchDir = moduleTemporaryFolder("encluster-scratch-"),
): StageContext<C> & { notes: Record<string, JsonValue>; logs: string[] } {
  const notes: Record<string, JsonValue> = {};
  const logs: string[] = [];
  return {
    config,
    scratchDir,
    interactive: false,
    environment: {},
    notes,
    logs,
    log: (message) => logs.push(message),
    note: (key, value) => {
      notes[key] = value;
    },
  };
}
