/**
 * The data part of a cache key: user data files identified by their content
 * (SHA-256), so that an edited file re-runs the stage that reads it and a
 * touched or copied but unchanged one does not. Hashing 50 MB takes about
 * 0.1 s, so each digest is remembered with the file's path, size,
 * modification and status-change times and inode, and reused while all
 * match (the change time cannot be set back by hand, so restoring the
 * modification time after an edit does not hide it); a file modified within
 * two seconds of being hashed is hashed again next time, since a second
 * change in the same clock tick would not move its times.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";

/** What the fast path remembers of a file. */
interface Remembered {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number | null;
  readonly sha256: string;
  /** When the digest was computed, to tell whether the modification time can be trusted. */
  readonly hashedAtMs: number;
}

/** Files' content digests, with the fast path kept in a JSON file between runs. */
export class ContentDigests {
  readonly #remembered = new Map<string, Remembered>();
  #changed = false;

  /**
   * @param cacheFile where the fast path is kept (read now if it exists), or
   *   undefined to keep it only in memory
   */
  constructor(readonly cacheFile: string | undefined) {
    if (cacheFile === undefined) return;
    try {
      const saved = JSON.parse(Deno.readTextFileSync(cacheFile)) as Record<string, Remembered>;
      for (const [path, entry] of Object.entries(saved)) this.#remembered.set(path, entry);
    } catch {
      // Missing or unreadable: it is only a cache, every file is hashed again.
    }
  }

  /**
   * The SHA-256 of a file's content, following symbolic links.
   *
   * @param path the file
   * @returns 64 hex digits
   * @throws {Deno.errors.NotFound} when the file does not exist
   */
  digest(path: string): string {
    const absolute = resolve(path);
    const info = Deno.statSync(absolute);
    const known = this.#remembered.get(absolute);
    const mtimeMs = info.mtime?.getTime() ?? -1;
    const ctimeMs = info.ctime?.getTime() ?? -1;
    if (
      known !== undefined && known.size === info.size && known.mtimeMs === mtimeMs &&
      known.ctimeMs === ctimeMs && known.ino === info.ino && mtimeMs >= 0 && ctimeMs >= 0 &&
      known.hashedAtMs - Math.max(mtimeMs, ctimeMs) > 2000
    ) {
      return known.sha256;
    }
    const hashedAtMs = Date.now();
    const sha256 = hashFile(absolute);
    this.#remembered.set(absolute, {
      size: info.size,
      mtimeMs,
      ctimeMs,
      ino: info.ino,
      sha256,
      hashedAtMs,
    });
    this.#changed = true;
    return sha256;
  }

  /**
   * The files of `files` whose content is no longer the digest given: read
   * again before a stage's record is written, so that data edited while the
   * stage read it is not recorded under the old content's key. An unchanged
   * file costs one `stat` (the fast path above).
   *
   * @param files path → the digest the stage's key holds
   * @returns the paths that changed or went missing, in order
   */
  changedSince(files: Readonly<Record<string, string>>): string[] {
    return Object.entries(files).filter(([path, digest]) => {
      try {
        return this.digest(path) !== digest;
      } catch {
        return true;
      }
    }).map(([path]) => path);
  }

  /**
   * Writes the fast path back, merged with what other processes wrote
   * meanwhile (losing an entry only costs hashing that file again).
   *
   * @param write writes the file atomically (the store's writer)
   */
  save(write: (path: string, bytes: Uint8Array) => void): void {
    if (this.cacheFile === undefined || !this.#changed) return;
    let merged: Record<string, Remembered> = {};
    try {
      merged = JSON.parse(Deno.readTextFileSync(this.cacheFile));
    } catch {
      // Nothing saved yet.
    }
    for (const [path, entry] of this.#remembered) merged[path] = entry;
    write(this.cacheFile, new TextEncoder().encode(JSON.stringify(merged)));
    this.#changed = false;
  }
}

/** SHA-256 of a file, read in 4 MB pieces so a large file is never held whole. */
function hashFile(path: string): string {
  const hash = createHash("sha256");
  const file = Deno.openSync(path, { read: true });
  try {
    const buffer = new Uint8Array(4 << 20);
    while (true) {
      const read = file.readSync(buffer);
      if (read === null) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    file.close();
  }
  return hash.digest("hex");
}
