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

/** A temporary folder that `using` removes when the block ends. */
export interface TemporaryFolder extends Disposable {
  readonly path: string;
}

/**
 * Creates a temporary folder that is removed when the `using` declaration
 * holding it goes out of scope, passed or failed:
 * `using artifacts = temporaryFolder("encluster-e2e-");`. What cannot be
 * removed (a child still writing) is left to `deno task test`'s own sweep.
 *
 * @param prefix the start of the folder's name
 */
export function temporaryFolder(prefix = "encluster-test-"): TemporaryFolder {
  const path = Deno.makeTempDirSync({ prefix });
  return {
    path,
    [Symbol.dispose]() {
      try {
        Deno.removeSync(path, { recursive: true });
      } catch {
        // Left for the suite's sweep of its temporary folder.
      }
    },
  };
}

const untilUnload = new Set<string>();

/**
 * Creates a temporary folder that lives until the test module ends, for
 * helpers that hand a folder to their caller (a stage's scratch folder, a
 * fixture project): it is removed when the module unloads.
 *
 * @param prefix the start of the folder's name
 * @returns the folder's path
 */
export function moduleTemporaryFolder(prefix = "encluster-test-"): string {
  if (untilUnload.size === 0) {
    globalThis.addEventListener("unload", () => {
      for (const path of untilUnload) {
        try {
          Deno.removeSync(path, { recursive: true });
        } catch {
          // Left for the suite's sweep of its temporary folder.
        }
      }
    });
  }
  const path = Deno.makeTempDirSync({ prefix });
  untilUnload.add(path);
  return path;
}
