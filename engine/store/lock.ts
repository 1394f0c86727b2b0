/**
 * The store's locks, all advisory `flock`s, which the kernel (or, on a
 * network file system, the file server) releases when their holder dies, so
 * a killed run never leaves anything locked:
 *
 * - the store lock, `<root>/lock`: every run and `verify` hold it shared,
 *   `gc` exclusive, so garbage collection never removes what a run or a
 *   check is using, and runs never wait for each other on it;
 * - one lock per stage key, `<root>/locks/<stage>/<key>`: the run that
 *   computes a key holds it, so two runs that need the same key compute it
 *   once (the second waits, then finds it in the cache) while runs needing
 *   different keys proceed at once.
 *
 * Across machines these hold on file systems whose locks are shared between
 * clients (NFSv4, or NFSv3 with lockd; Linux maps `flock` on NFS to POSIX
 * locks); on such a file system a crashed machine's locks are released when
 * its lease with the server expires.
 *
 * @module
 */
import { join } from "node:path";

/** Gives a held lock back. */
export type Release = () => void;

/**
 * Takes the store lock.
 *
 * @param root the artifacts folder (must exist)
 * @param mode `shared` for runs and checks, `exclusive` for garbage collection
 * @param onWait called once if the lock is not free within 200 ms
 * @returns a function that releases the lock
 */
export function lockStore(
  root: string,
  mode: "shared" | "exclusive",
  onWait: () => void,
): Promise<Release> {
  return lockFile(join(root, "lock"), mode === "exclusive", onWait);
}

/**
 * Takes the lock of one stage key, waiting while another run (in this
 * process or any other) computes it.
 *
 * @param root the artifacts folder
 * @param stage the stage's name
 * @param key the cache key
 * @param onWait called once if the lock is not free within 200 ms
 * @returns a function that releases the lock
 */
export function lockKey(
  root: string,
  stage: string,
  key: string,
  onWait: () => void,
): Promise<Release> {
  const folder = join(root, "locks", stage);
  Deno.mkdirSync(folder, { recursive: true });
  return lockFile(join(folder, key), true, onWait);
}

async function lockFile(path: string, exclusive: boolean, onWait: () => void): Promise<Release> {
  const file = await openLockFile(path, exclusive);
  const waitNotice = setTimeout(onWait, 200);
  try {
    await file.lock(exclusive);
  } catch (error) {
    file.close();
    throw error;
  } finally {
    clearTimeout(waitNotice);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    file.unlockSync();
    file.close();
  };
}

/**
 * Opens a lock file, creating it when needed. A shared lock is taken on a
 * file opened for reading where it exists, so a read-only check (`verify`)
 * needs no permission to write.
 */
async function openLockFile(path: string, exclusive: boolean): Promise<Deno.FsFile> {
  if (!exclusive) {
    try {
      return await Deno.open(path, { read: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return await Deno.open(path, { create: true, write: true });
}
