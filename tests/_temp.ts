/** Temporary folders that a test removes when it ends, passed or failed. */

/**
 * Runs `body` with a new temporary folder and removes the folder afterwards.
 *
 * @param body the test's work, given the folder's path
 * @returns what `body` returns
 */
export async function withTempDir<T>(body: (folder: string) => Promise<T> | T): Promise<T> {
  const folder = Deno.makeTempDirSync({ prefix: "encluster-test-" });
  try {
    return await body(folder);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
}
