/**
 * The code part of a cache key: a digest of a stage's source file and of
 * every project file it loads, and the libraries it imports.
 *
 * @module
 */
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "./sha256.ts";

/** What a stage's code is: its files by digest, and the libraries it imports. */
export interface CodeDigest {
  /** Project file path (relative to the project root) → SHA-256 of its text. */
  readonly files: Record<string, string>;
  /** Bare import (`@tensorflow/tfjs`) → the pinned specifier it maps to. */
  readonly libraries: Record<string, string>;
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/gm;

/**
 * Digests a module and every project file it imports, statically or with a
 * literal dynamic `import("...")`, and lists the libraries (bare imports)
 * anywhere in that graph with their pinned versions from the import map.
 * Editing any file in the graph changes the digest; editing a file outside it
 * does not.
 *
 * @param sourceUrl the module's `import.meta.url`
 * @param root the project root: file names are reported relative to it
 * @param importMap bare specifier → pinned specifier (deno.json `imports`)
 * @returns the files and libraries of the module's import graph
 */
export function codeDigest(
  sourceUrl: string,
  root: string,
  importMap: Readonly<Record<string, string>>,
): CodeDigest {
  const files: Record<string, string> = {};
  const libraries: Record<string, string> = {};
  const pending = [fileURLToPath(sourceUrl)];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const text = Deno.readTextFileSync(path);
    files[relative(root, path)] = sha256(text);
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      if (specifier.startsWith(".")) {
        pending.push(fileURLToPath(new URL(specifier, `file://${dirname(path)}/`)));
      } else if (!specifier.startsWith("node:")) {
        libraries[specifier] = importMap[specifier] ?? specifier;
      }
    }
  }
  return { files, libraries };
}
