/**
 * Why a stage runs, as data first (a union of difference kinds between its
 * fingerprint now and its last record) and as one line of text second:
 * `cluster.k changed 10 → 12`.
 *
 * @module
 */
import { flattenConfig } from "./flatten_config.ts";
import type { Fingerprint } from "./fingerprint.ts";
import { showValue } from "./show_value.ts";

/**
 * Why a stage runs: one difference between its fingerprint now and its last
 * record, or a reason that needs no comparison.
 */
export type Difference =
  | { readonly kind: "new" }
  | { readonly kind: "forced" }
  | { readonly kind: "config"; readonly key: string; readonly old: unknown; readonly new: unknown }
  | { readonly kind: "input"; readonly input: string; readonly change: Change }
  | { readonly kind: "code"; readonly file: string; readonly change: Change }
  | { readonly kind: "data"; readonly file: string; readonly change: Change }
  | {
    readonly kind: "library";
    /** The package name; `old`/`new` are its versions (or integrity hashes) before and after. */
    readonly name: string;
    readonly old: string | undefined;
    readonly new: string | undefined;
  }
  | {
    readonly kind: "environment";
    readonly name: string;
    readonly old: string | undefined;
    readonly new: string | undefined;
  }
  | { readonly kind: "engine"; readonly old: number; readonly new: number }
  | { readonly kind: "missing"; readonly output: string }
  | { readonly kind: "damaged"; readonly output: string };

/** How one named entry differs. */
export type Change = "changed" | "added" | "removed";

/**
 * The differences between the fingerprint a stage had at its last record and
 * the one it has now, old values first.
 *
 * @param previous the last record's fingerprint, or undefined when there is none
 * @param current the fingerprint now
 * @returns the differences; `[{ kind: "new" }]` when there is no previous record
 */
export function differences(previous: Fingerprint | undefined, current: Fingerprint): Difference[] {
  if (previous === undefined) return [{ kind: "new" }];
  const found: Difference[] = [];
  const oldConfig = flattenConfig(previous.config);
  const newConfig = flattenConfig(current.config);
  for (const key of union(oldConfig.keys(), newConfig.keys())) {
    const old = oldConfig.get(key);
    const now = newConfig.get(key);
    if (JSON.stringify(old) !== JSON.stringify(now)) {
      found.push({ kind: "config", key, old, new: now });
    }
  }
  for (const [input, change] of compareEntries(previous.inputs, current.inputs)) {
    found.push({ kind: "input", input, change });
  }
  for (const [file, change] of compareEntries(previous.code, current.code)) {
    found.push({ kind: "code", file, change });
  }
  for (const [file, change] of compareEntries(previous.data ?? {}, current.data)) {
    found.push({ kind: "data", file, change });
  }
  found.push(...libraryDifferences(previous.libraries, current.libraries));
  const oldEnvironment = previous.environment ?? {};
  for (const name of union(Object.keys(oldEnvironment), Object.keys(current.environment))) {
    const old = oldEnvironment[name];
    const now = current.environment[name];
    if (old !== now) found.push({ kind: "environment", name, old, new: now });
  }
  if (previous.engine !== current.engine) {
    found.push({ kind: "engine", old: previous.engine, new: current.engine });
  }
  return found;
}

/**
 * One difference as a person reads it: `cluster.k changed 10 → 12`.
 */
export function describeDifference(difference: Difference): string {
  switch (difference.kind) {
    case "new":
      return "never run before";
    case "forced":
      return "forced";
    case "config":
      if (difference.old === undefined) {
        return `${difference.key} added (${showValue(difference.new)})`;
      }
      if (difference.new === undefined) return `${difference.key} removed`;
      return `${difference.key} changed ${showValue(difference.old)} → ${
        showValue(difference.new)
      }`;
    case "input":
      return `input ${difference.input} ${difference.change}`;
    case "code":
      return `${difference.file} ${difference.change}`;
    case "data":
      return difference.change === "changed"
        ? `${difference.file} content changed`
        : `data file ${difference.file} ${difference.change}`;
    case "library":
      return `${difference.name} ${difference.old ?? "(none)"} → ${difference.new ?? "(none)"}`;
    case "environment":
      return `${difference.name} ${difference.old ?? "(none)"} → ${difference.new ?? "(none)"}`;
    case "engine":
      return `cache format ${difference.old} → ${difference.new}`;
    case "missing":
      return `output ${difference.output} missing from the store`;
    case "damaged":
      return `output ${difference.output} was damaged`;
    default: {
      const unreachable: never = difference;
      return String(unreachable);
    }
  }
}

/**
 * The reason a stage ran, in one line: the first few differences, most
 * telling first (configuration, code, inputs), and how many more there are.
 */
export function describeReason(found: readonly Difference[], shown = 3): string {
  if (found.length === 0) return "no recorded difference";
  // Changed inputs read best as one item: "inputs changed: load.trainImages, load.trainLabels".
  const inputs = found.filter((difference) => difference.kind === "input");
  const texts = found.filter((difference) => difference.kind !== "input").map(describeDifference);
  if (inputs.length === 1) texts.push(describeDifference(inputs[0]!));
  if (inputs.length > 1) {
    texts.push(`inputs changed: ${groupByStage(inputs.map((input) => input.input))}`);
  }
  const more = texts.length - shown;
  return more > 0 ? `${texts.slice(0, shown).join("; ")}; and ${more} more` : texts.join("; ");
}

/** `cluster.centroids, cluster.summary, evaluate.metrics` → `cluster (2 outputs), evaluate.metrics`. */
function groupByStage(inputs: readonly string[]): string {
  const byStage = new Map<string, string[]>();
  for (const input of inputs) {
    const stage = input.split(".")[0]!;
    byStage.set(stage, [...(byStage.get(stage) ?? []), input]);
  }
  return [...byStage].map(([stage, names]) =>
    names.length === 1 ? names[0] : `${stage} (${names.length} outputs)`
  )
    .join(", ");
}

/**
 * Library changes by package: `umap-js 1.4.0 → 1.5.0` when the version
 * moved, the integrity hashes when only the package's content did.
 */
function libraryDifferences(
  old: Readonly<Record<string, string>>,
  now: Readonly<Record<string, string>>,
): Difference[] {
  const byName = (libraries: Readonly<Record<string, string>>) => {
    const packages = new Map<string, Map<string, string>>();
    for (const [key, integrity] of Object.entries(libraries)) {
      const at = key.indexOf("@", 1);
      const name = at < 0 ? key : key.slice(0, at);
      const version = at < 0 ? "" : key.slice(at + 1);
      packages.set(name, (packages.get(name) ?? new Map()).set(version, integrity));
    }
    return packages;
  };
  const before = byName(old);
  const after = byName(now);
  const found: Difference[] = [];
  for (const name of union(before.keys(), after.keys())) {
    const a = before.get(name) ?? new Map<string, string>();
    const b = after.get(name) ?? new Map<string, string>();
    const versionsA = [...a.keys()].sort().join(", ");
    const versionsB = [...b.keys()].sort().join(", ");
    if (versionsA !== versionsB) {
      found.push({
        kind: "library",
        name,
        old: a.size === 0 ? undefined : versionsA,
        new: b.size === 0 ? undefined : versionsB,
      });
    } else if ([...a].some(([version, integrity]) => b.get(version) !== integrity)) {
      found.push({
        kind: "library",
        name: `${name} ${versionsA} content`,
        old: [...a.values()].join(", ").slice(0, 19),
        new: [...b.values()].join(", ").slice(0, 19),
      });
    }
  }
  return found;
}

function compareEntries(
  old: Readonly<Record<string, string>>,
  now: Readonly<Record<string, string>>,
): [string, Change][] {
  const found: [string, Change][] = [];
  for (const name of union(Object.keys(old), Object.keys(now))) {
    if (old[name] === now[name]) continue;
    found.push([
      name,
      old[name] === undefined ? "added" : now[name] === undefined ? "removed" : "changed",
    ]);
  }
  return found;
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])];
}
