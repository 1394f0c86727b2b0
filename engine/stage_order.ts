/**
 * The order in which stages run: each after every stage it needs.
 *
 * @module
 */
import type { Stage } from "./stage.ts";

/**
 * The stages in an order where each comes after every stage it needs,
 * keeping the declared order where the dependencies allow.
 *
 * @throws {Error} on a duplicate name, an unknown need or a cycle
 */
export function stageOrder<S extends Stage<never>>(stages: readonly S[]): S[] {
  const byName = new Map<string, S>();
  for (const stage of stages) {
    if (byName.has(stage.name)) throw new Error(`Two stages are named '${stage.name}'`);
    byName.set(stage.name, stage);
  }
  const ordered: S[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (stage: S, path: string[]) => {
    if (state.get(stage.name) === "done") return;
    if (state.get(stage.name) === "visiting") {
      throw new Error(`The stages form a cycle: ${[...path, stage.name].join(" → ")}`);
    }
    state.set(stage.name, "visiting");
    for (const need of stage.needs) {
      const needed = byName.get(need);
      if (needed === undefined) {
        throw new Error(`Stage '${stage.name}' needs unknown stage '${need}'`);
      }
      visit(needed, [...path, stage.name]);
    }
    state.set(stage.name, "done");
    ordered.push(stage);
  };
  for (const stage of stages) visit(stage, []);
  return ordered;
}
