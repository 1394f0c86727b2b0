/**
 * The code part of a cache key: the SHA-256 of a stage's source and of every
 * project file it loads, and the libraries it imports, taken once when a run
 * starts, and checked again before a record is written, so that a stage
 * edited while the run computes is never recorded under the new code's key.
 *
 * "Loads" follows every way code is loaded here: static imports, literal
 * dynamic `import("…")`, and `new URL("…", import.meta.url)` (workers,
 * WebAssembly and data files), by relative or absolute path, `file:` URL, or
 * an import-map alias that names a project file. Type-only imports load nothing and are left
 * out, as is anything written in comments and JSDoc examples.
 *
 * @module
 */
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { LibraryLock } from "./library_lock.ts";
import { moduleImports } from "./module_imports.ts";
import { sha256 } from "./sha256.ts";

/** What a stage's code is: its files by digest, and the libraries it imports. */
export interface CodeDigest {
  /** Project file path (relative to the project root) → SHA-256 of its bytes. */
  readonly files: Record<string, string>;
  /** `name@version` → integrity, for each library and its dependencies (see LibraryLock). */
  readonly libraries: Record<string, string>;
}

/** Extensions of files that are followed as modules; any other file is digested as data. */
const moduleExtensions = new Set([".ts", ".js", ".mjs", ".mts", ".tsx", ".jsx"]);

/**
 * The project's code as it was when the snapshot was first asked about each
 * file: one per process, shared by every run it starts.
 */
export class CodeSnapshot {
  /** Absolute path → the file's bytes, digest and status when first read. */
  readonly #files = new Map<string, { bytes: Uint8Array; digest: string; stamp: string }>();
  readonly #graphs = new Map<string, CodeDigest>();

  /**
   * @param root the project root: files are named relative to it
   * @param libraries the lock file's packages, for the libraries' versions
   */
  constructor(readonly root: string, readonly libraries: LibraryLock) {}

  /**
   * The digest of the module at `sourceUrl` and everything it loads.
   *
   * @param sourceUrl a stage's `import.meta.url` (a query string is ignored)
   * @returns its files and libraries, as they were when first read
   */
  of(sourceUrl: string): CodeDigest {
    const cached = this.#graphs.get(sourceUrl);
    if (cached !== undefined) return cached;
    const files: Record<string, string> = {};
    const libraries: Record<string, string> = {};
    const pending = [urlPath(sourceUrl)];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const path = pending.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const bytes = this.#read(path);
      if (bytes === undefined) continue;
      files[relative(this.root, path)] = this.#files.get(path)!.digest;
      if (!moduleExtensions.has(extname(path))) continue;
      for (const { specifier, kind } of moduleImports(new TextDecoder().decode(bytes))) {
        if (kind === "type") continue;
        const local = localFile(specifier, path);
        // A bare name may be an import-map alias of a project file (`"@lib/": "./lib/"`).
        const aliased = local === undefined && kind !== "url"
          ? localFile(this.libraries.mapped(specifier), join(this.root, "deno.json"))
          : undefined;
        if (local !== undefined || aliased !== undefined) {
          pending.push((local ?? aliased)!);
        } else if (!specifier.startsWith("node:") && kind !== "url") {
          Object.assign(libraries, this.libraries.closure(specifier));
        }
      }
    }
    const digest = { files, libraries };
    this.#graphs.set(sourceUrl, digest);
    return digest;
  }

  /**
   * The files of `files` that were written since the snapshot read them:
   * their bytes differ, or their status does (a file edited and changed back
   * while a stage ran may have been loaded in between, so it counts too).
   *
   * @param files a {@link CodeDigest}'s files
   * @returns their paths relative to the root, in order
   */
  changedSince(files: Readonly<Record<string, string>>): string[] {
    return Object.entries(files).filter(([file, digest]) => {
      const path = join(this.root, file);
      try {
        const known = this.#files.get(path);
        if (known !== undefined && stamp(Deno.statSync(path)) !== known.stamp) return true;
        return sha256(Deno.readFileSync(path)) !== digest;
      } catch {
        return true;
      }
    }).map(([file]) => file);
  }

  /** A file's bytes as first read; undefined for a folder or a missing file. */
  #read(path: string): Uint8Array | undefined {
    const known = this.#files.get(path);
    if (known !== undefined) return known.bytes;
    try {
      const info = Deno.statSync(path);
      if (!info.isFile) return undefined;
      const bytes = Deno.readFileSync(path);
      this.#files.set(path, { bytes, digest: sha256(bytes), stamp: stamp(info) });
      return bytes;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  }
}

/** What changes whenever a file is written: size, modification and change times, inode. */
function stamp(info: Deno.FileInfo): string {
  return `${info.size} ${info.mtime?.getTime()} ${info.ctime?.getTime()} ${info.ino}`;
}

/** A `file:` URL's path, without its query string or fragment. */
function urlPath(url: string): string {
  const parsed = new URL(url);
  parsed.search = "";
  parsed.hash = "";
  return fileURLToPath(parsed);
}

/**
 * The project file a specifier names, resolved against the file it appears
 * in: relative, absolute and `file:` specifiers; undefined for anything else
 * (a library, `node:`).
 */
function localFile(specifier: string, from: string): string | undefined {
  if (specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/")) {
    return fileURLToPath(new URL(specifier, `file://${from}`));
  }
  if (specifier.startsWith("file:")) return urlPath(specifier);
  return undefined;
}
