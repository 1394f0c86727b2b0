/**
 * The store's lock, taken by every command that writes to the store.
 *
 * @module
 */
import { join } from "node:path";

/**
 * Takes the store's exclusive lock, waiting for another run that holds it.
 * The lock is an advisory `flock` on `<root>/lock`: the kernel releases it
 * when its holder exits, even when killed, so a crash never leaves the store
 * locked.
 *
 * @param root the artifacts folder (must exist)
 * @param onWait called once if the lock is not free at once
 * @returns a function that releases the lock
 */
export async function lockStore(root: string, onWait: () => void): Promise<() => void> {
  const file = await Deno.open(join(root, "lock"), { create: true, write: true });
  const waitNotice = setTimeout(onWait, 200);
  try {
    await file.lock(true);
  } finally {
    clearTimeout(waitNotice);
  }
  return () => {
    file.unlockSync();
    file.close();
  };
}
