/**
 * Writing a file so that a crash, a kill or a power cut leaves either the
 * old file or the whole new one, never a part: the bytes go to a temporary
 * file, which is flushed to disk, renamed over the target, and the folder is
 * flushed so the rename itself survives.
 *
 * @module
 */
import { dirname, join } from "node:path";

/**
 * Writes `bytes` to `path` atomically and durably.
 *
 * @param path the file to write (its folder must exist)
 * @param bytes the new contents
 * @param tmpFolder where the temporary file goes; on the same file system as `path`
 */
export function writeFileAtomically(path: string, bytes: Uint8Array, tmpFolder: string): void {
  const temporary = join(tmpFolder, crypto.randomUUID());
  const file = Deno.openSync(temporary, { write: true, createNew: true });
  try {
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    file.syncSync();
  } finally {
    file.close();
  }
  try {
    Deno.renameSync(temporary, path);
  } catch (error) {
    Deno.removeSync(temporary);
    throw error;
  }
  syncFolder(dirname(path));
}

/**
 * Flushes a folder's entries (a rename, a new file) to disk.
 *
 * @param path the folder
 */
export function syncFolder(path: string): void {
  const folder = Deno.openSync(path, { read: true });
  try {
    folder.syncSync();
  } finally {
    folder.close();
  }
}
