/**
 * The last lines of a log file, read from its end, so that a failed job can
 * be reported with what it printed last however long its log grew.
 *
 * @example
 * ```ts
 * import { logTail } from "./log_tail.ts";
 *
 * const path = Deno.makeTempFileSync();
 * Deno.writeTextFileSync(path, "one\ntwo\nthree\n");
 * const tail = await logTail(path, 2);
 * Deno.removeSync(path);
 * if (tail.join(",") !== "two,three") throw new Error();
 * if ((await logTail("/no/such/log")).length !== 0) throw new Error();
 * ```
 *
 * @module
 */

/** How much of the file's end is read: enough for 20 long lines. */
const tailBytes = 64 * 1024;

/**
 * The last `lines` lines of the file at `path`.
 *
 * @param path the log
 * @param lines how many lines at most (default 20)
 * @returns the lines without their line breaks; none when the file is missing or empty
 * @throws {Error} when the file exists but cannot be read
 */
export async function logTail(path: string, lines = 20): Promise<string[]> {
  if (lines <= 0) return [];
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  try {
    const size = (await file.stat()).size;
    const start = Math.max(0, size - tailBytes);
    await file.seek(start, Deno.SeekMode.Start);
    const bytes = new Uint8Array(size - start);
    let read = 0;
    while (read < bytes.length) {
      const n = await file.read(bytes.subarray(read));
      if (n === null) break;
      read += n;
    }
    const text = new TextDecoder().decode(bytes.subarray(0, read));
    const all = text.split(/\r?\n/);
    if (all.at(-1) === "") all.pop();
    // The first line may have been cut by the start of the window.
    if (start > 0) all.shift();
    return all.slice(-lines);
  } finally {
    file.close();
  }
}
