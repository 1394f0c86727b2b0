/**
 * Ids for runs and sweeps that sort by time: the UTC time to the millisecond
 * and a random suffix, so ids made at once by several processes differ.
 *
 * @example
 * ```ts
 * import { newRunId } from "./run_id.ts";
 *
 * const id = newRunId(new Date("2026-12-02T06:30:01.234Z"));
 * if (!/^20261202-063001\.234-[0-9a-f]{4}$/.test(id)) throw new Error(id);
 * ```
 *
 * @module
 */

/**
 * A sortable, unique id: `20261202-063001.234-1a2b`.
 *
 * @param at the time it names (now by default)
 * @returns the id
 */
export function newRunId(at: Date = new Date()): string {
  const time = at.toISOString().replace(/[-:]/g, "").replace("T", "-").replace("Z", "");
  return `${time}-${crypto.randomUUID().slice(0, 4)}`;
}
