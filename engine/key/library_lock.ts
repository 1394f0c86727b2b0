/**
 * Library versions as deno.lock pins them: for a library a stage imports
 * (`@tensorflow/tfjs`, or a subpath such as `umap-js/dist/umap.js`), its
 * exact version and integrity hash, and those of every package it depends
 * on, so that a lock-file change re-runs exactly the stages whose libraries
 * moved. The import map alone would miss subpath imports and dependencies.
 *
 * Reads lock files of version 4 and 5 (`specifiers` and `npm` sections).
 *
 * @example
 * ```ts
 * import { LibraryLock } from "./library_lock.ts";
 *
 * const lock = new LibraryLock({ "umap-js": "npm:umap-js@1.4.0" }, JSON.stringify({
 *   version: "5",
 *   specifiers: { "npm:umap-js@1.4.0": "1.4.0" },
 *   npm: {
 *     "umap-js@1.4.0": { integrity: "sha512-u", dependencies: ["ml-matrix"] },
 *     "ml-matrix@6.0.0": { integrity: "sha512-m" },
 *   },
 * }));
 * const closure = lock.closure("umap-js/dist/umap.js");
 * if (JSON.stringify(closure) !== '{"umap-js@1.4.0":"sha512-u","ml-matrix@6.0.0":"sha512-m"}') {
 *   throw new Error(JSON.stringify(closure));
 * }
 * ```
 *
 * @module
 */

interface LockedPackage {
  readonly integrity?: string;
  readonly dependencies?: readonly string[];
  readonly optionalDependencies?: readonly string[];
  readonly peerDependencies?: readonly string[];
}

interface LockFile {
  readonly specifiers?: Readonly<Record<string, string>>;
  readonly npm?: Readonly<Record<string, LockedPackage>>;
}

/** The packages of a lock file, and the import map that names them. */
export class LibraryLock {
  readonly #importMap: Readonly<Record<string, string>>;
  readonly #lock: LockFile;
  /** Package name → its keys in the lock (`name@version_peers`). */
  readonly #byName = new Map<string, string[]>();

  /**
   * @param importMap deno.json `imports`: bare specifier → `npm:name@version`
   * @param lockText deno.lock's text, or undefined when there is none
   */
  constructor(importMap: Readonly<Record<string, string>>, lockText: string | undefined) {
    this.#importMap = importMap;
    this.#lock = lockText === undefined ? {} : JSON.parse(lockText) as LockFile;
    for (const key of Object.keys(this.#lock.npm ?? {})) {
      const name = packageName(key);
      this.#byName.set(name, [...(this.#byName.get(name) ?? []), key]);
    }
  }

  /**
   * The library `specifier` names and everything it depends on.
   *
   * @param specifier a bare import, an import-map key with a subpath, or `npm:…`
   * @returns lock key (`name@version`) → integrity hash; for a library the
   *   lock does not hold, the specifier → what it maps to, marked as unlocked
   */
  closure(specifier: string): Record<string, string> {
    const mapped = this.mapped(specifier);
    const start = this.#lockKey(mapped);
    if (start === undefined) return { [specifier]: `not in deno.lock: ${mapped}` };
    const found: Record<string, string> = {};
    const pending = [start];
    while (pending.length > 0) {
      const key = pending.pop()!;
      if (key in found) continue;
      const entry = this.#lock.npm?.[key];
      found[key] = entry?.integrity ?? "no integrity in deno.lock";
      for (
        const dependency of [
          ...(entry?.dependencies ?? []),
          ...(entry?.optionalDependencies ?? []),
          ...(entry?.peerDependencies ?? []),
        ]
      ) {
        pending.push(...this.#resolveDependency(dependency));
      }
    }
    return found;
  }

  /**
   * The specifier after the import map: `umap-js/dist/x.js` →
   * `npm:umap-js@1.4.0/dist/x.js`, `@lib/a.ts` → `./lib/a.ts`.
   */
  mapped(specifier: string): string {
    const exact = this.#importMap[specifier];
    if (exact !== undefined) return exact;
    let best: string | undefined;
    for (const key of Object.keys(this.#importMap)) {
      const prefix = key.endsWith("/") ? key : `${key}/`;
      if (specifier.startsWith(prefix) && (best === undefined || key.length > best.length)) {
        best = key;
      }
    }
    if (best === undefined) return specifier;
    const target = this.#importMap[best]!;
    const rest = specifier.slice(best.endsWith("/") ? best.length : best.length + 1);
    return `${target.replace(/\/$/, "")}/${rest}`;
  }

  /** The lock's package key for an `npm:name@range/subpath` specifier. */
  #lockKey(mapped: string): string | undefined {
    if (!mapped.startsWith("npm:")) return undefined;
    const bare = mapped.slice("npm:".length).replace(/^\//, "");
    const name = packageName(bare);
    const afterName = bare.slice(name.length);
    const range = afterName.startsWith("@") ? afterName.slice(1).split("/")[0]! : "";
    const resolved = this.#lock.specifiers?.[`npm:${name}${range === "" ? "" : `@${range}`}`];
    if (resolved !== undefined && this.#lock.npm?.[`${name}@${resolved}`] !== undefined) {
      return `${name}@${resolved}`;
    }
    const candidates = this.#byName.get(name) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** A dependency as the lock lists it (`tslib`, `seedrandom@3.0.5`) → its lock keys. */
  #resolveDependency(dependency: string): string[] {
    if (this.#lock.npm?.[dependency] !== undefined) return [dependency];
    const name = packageName(dependency);
    const candidates = this.#byName.get(name) ?? [];
    if (name === dependency) return candidates; // several versions: keep them all
    const version = dependency.slice(name.length + 1);
    return candidates.filter((key) => key.slice(name.length + 1).startsWith(version));
  }
}

/** `@scope/name@1.0.0_peer@2` → `@scope/name`; `name@1.0.0` → `name`. */
function packageName(key: string): string {
  const at = key.indexOf("@", 1);
  const slash = key.startsWith("@") ? key.indexOf("/", key.indexOf("/") + 1) : key.indexOf("/");
  const ends = [at, slash].filter((index) => index > 0);
  return ends.length === 0 ? key : key.slice(0, Math.min(...ends));
}
