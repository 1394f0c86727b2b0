/**
 * A project's code as cache keys see it: its files under the root (deno.json
 * beside them), and the library versions its deno.lock pins.
 *
 * @module
 */
import { join } from "node:path";
import { CodeSnapshot } from "./code_digest.ts";
import { LibraryLock } from "./library_lock.ts";

/**
 * The code snapshot of the project at `root`, to be taken once when a
 * process starts and shared by every run it makes.
 *
 * @param root the folder holding the project's deno.json (and deno.lock, if any)
 * @returns a snapshot that digests each file when first asked
 */
export function projectCode(root: string): CodeSnapshot {
  const denoJson = JSON.parse(Deno.readTextFileSync(join(root, "deno.json"))) as {
    imports?: Record<string, string>;
  };
  let lockText: string | undefined;
  try {
    lockText = Deno.readTextFileSync(join(root, "deno.lock"));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return new CodeSnapshot(root, new LibraryLock(denoJson.imports ?? {}, lockText));
}
