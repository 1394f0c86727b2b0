/**
 * Finds a key given twice in one JSON object. `JSON.parse` keeps the last
 * value without a word, so `{"cluster": {"k": 8, "k": 12}}` would run k = 12
 * while its author reads k = 8 in the first line.
 *
 * Written here rather than taken from a JSON library: on text that
 * `JSON.parse` has already accepted, the check is one pass over the
 * characters (about 40 lines), where a parser that reports positions
 * (jsonc-parser) would be a new dependency for it.
 *
 * @example
 * ```ts
 * import { findDuplicateKey } from "./duplicate_keys.ts";
 *
 * const found = findDuplicateKey('{"cluster": {"k": 8,\n "k": 12}}');
 * if (found?.path !== "cluster.k" || found.line !== 2) throw new Error("found on line 2");
 * if (findDuplicateKey('{"a": {"k": 1}, "b": {"k": 2}}') !== undefined) {
 *   throw new Error("the same name in two objects is not a duplicate");
 * }
 * ```
 *
 * @module
 */

/** A key given twice: its dotted path and the line of its second mention. */
export interface DuplicateKey {
  readonly path: string;
  readonly line: number;
}

/** An open object or array: where it is, and for an object the keys seen. */
interface Frame {
  readonly isObject: boolean;
  readonly path: string;
  readonly keys: Set<string>;
  expectingKey: boolean;
  lastKey: string;
}

/**
 * The first key that appears twice in the same object of `text`.
 *
 * @param text JSON that `JSON.parse` accepts
 * @returns the duplicate, or undefined when every object's keys are distinct
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const frames: Frame[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const frame = frames.at(-1);
    if (char === "\n") line++;
    else if (char === "{" || char === "[") {
      const path = frame?.isObject ? join(frame.path, frame.lastKey) : frame?.path ?? "";
      frames.push({
        isObject: char === "{",
        path,
        keys: new Set(),
        expectingKey: true,
        lastKey: "",
      });
    } else if (char === "}" || char === "]") frames.pop();
    else if (char === "," && frame !== undefined) frame.expectingKey = true;
    else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (frame?.isObject && frame.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (frame.keys.has(key)) return { path: join(frame.path, key), line };
        frame.keys.add(key);
        frame.expectingKey = false;
        frame.lastKey = key;
      }
      i = end;
    }
  }
  return undefined;
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
