/**
 * Whether a path names a regular file (following symbolic links), without
 * throwing for a path that does not exist.
 *
 * @example
 * ```ts
 * import { isFile } from "./is_file.ts";
 *
 * if (isFile("/no/such/file")) throw new Error();
 * ```
 *
 * @module
 */

/**
 * True when `path` is a regular file, or a link to one.
 *
 * @param path the path
 * @returns false for folders, missing paths and paths that cannot be read
 */
export function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
