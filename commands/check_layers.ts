/**
 * `deno task layers`: checks the arrows between the project's folders over
 * its import graph, so the architecture the folders show is the one the code
 * has. Part of `deno task ok` and of the test suite. The rules:
 *
 * - `engine/` imports nothing from outside `engine/` (libraries aside): it is
 *   a library that knows no stage, output or setting by name.
 * - A `_`-prefixed module is imported only from its own folder (tests and
 *   benchmarks may reach in, to test a kernel directly).
 * - A stage module imports no folder's `mod.ts`: a stage's cache key digests
 *   every module it imports, and a folder's public face would put the whole
 *   folder into it (editing UMAP would re-run the pixel baseline).
 * - Every folder of modules has a `mod.ts`, its public face.
 * - There are no import cycles.
 *
 * Type-only imports count: they couple the code as much as any other.
 *
 * @module
 */
import { dirname, join, normalize, relative } from "node:path";
import { moduleImports } from "../engine/key/module_imports.ts";

/** One broken rule: the importing module, what it imports, and which rule. */
export interface LayerViolation {
  readonly module: string;
  readonly imports: string;
  readonly rule: string;
}

/** Folders of entry points, tests and data, which need no public face. */
const foldersWithoutFace = new Set([
  ".",
  "commands",
  "tests",
  "tests/fixtures",
  "bench",
  "configs",
]);

/** Folders whose modules may import another folder's private (`_`) modules. */
const mayReachIn = ["tests", "bench"];

/**
 * Every TypeScript module under `root`, by path relative to it, with its
 * text; `node_modules`, `artifacts` and hidden folders are skipped.
 */
export function projectModules(root: string): Map<string, string> {
  const modules = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of Deno.readDirSync(join(root, folder))) {
      const path = folder === "." ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory) {
        if (entry.name.startsWith(".") || ["node_modules", "artifacts"].includes(entry.name)) {
          continue;
        }
        walk(path);
      } else if (entry.isFile && entry.name.endsWith(".ts")) {
        modules.set(path, Deno.readTextFileSync(join(root, path)));
      }
    }
  };
  walk(".");
  return modules;
}

/**
 * The rules above, checked over a set of modules.
 *
 * @param modules path relative to the project root → source text
 * @returns every violation, sorted by module
 */
export function layerViolations(modules: ReadonlyMap<string, string>): LayerViolation[] {
  const violations: LayerViolation[] = [];
  const graph = new Map<string, string[]>();
  for (const [module, text] of modules) {
    const folder = dirname(module);
    const edges: string[] = [];
    for (const { specifier, kind } of moduleImports(text)) {
      if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue;
      const target = normalize(join(folder, specifier));
      if (!modules.has(target)) continue; // data files, folders, the README
      if (kind !== "url") edges.push(target);
      const violation = (rule: string) => violations.push({ module, imports: target, rule });
      if (layerOf(module) === "engine" && layerOf(target) !== "engine") {
        violation("the engine imports nothing from outside engine/");
      }
      const targetName = target.split("/").pop()!;
      if (
        targetName.startsWith("_") && dirname(target) !== folder &&
        !mayReachIn.includes(layerOf(module))
      ) {
        violation(`a _ module is imported only from its own folder (${dirname(target)}/)`);
      }
      if (layerOf(module) === "stages" && targetName === "mod.ts") {
        violation("a stage imports modules, not a folder's mod.ts, to keep its cache key tight");
      }
    }
    graph.set(module, edges);
  }
  const folders = new Set([...modules.keys()].map(dirname));
  for (const folder of folders) {
    if (foldersWithoutFace.has(folder) || modules.has(`${folder}/mod.ts`)) continue;
    violations.push({ module: `${folder}/`, imports: "", rule: "every folder has a mod.ts" });
  }
  for (const cycle of importCycles(graph)) {
    violations.push({
      module: cycle[0]!,
      imports: cycle[1]!,
      rule: `no import cycles: ${cycle.join(" → ")}`,
    });
  }
  return violations.sort((a, b) => a.module.localeCompare(b.module));
}

/** The top-level folder of a module (`engine` for `engine/store/store.ts`). */
function layerOf(module: string): string {
  return module.includes("/") ? module.slice(0, module.indexOf("/")) : ".";
}

/** One cycle through each strongly connected group of modules, as a path back to its start. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (module: string) => {
    state.set(module, "active");
    stack.push(module);
    for (const next of graph.get(module) ?? []) {
      if (state.get(next) === "active") {
        cycles.push([...stack.slice(stack.indexOf(next)), next]);
      } else if (state.get(next) === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(module, "done");
  };
  for (const module of [...graph.keys()].sort()) {
    if (state.get(module) === undefined) visit(module);
  }
  return cycles;
}

if (import.meta.main) {
  const root = relative(Deno.cwd(), new URL("..", import.meta.url).pathname) || ".";
  const violations = layerViolations(projectModules(root));
  for (const { module, imports, rule } of violations) {
    console.error(`${module}${imports === "" ? "" : ` imports ${imports}`}: ${rule}`);
  }
  console.error(
    violations.length === 0
      ? "layers: ok"
      : `layers: ${violations.length} violation(s) of the rules in commands/check_layers.ts`,
  );
  Deno.exit(violations.length === 0 ? 0 : 1);
}
