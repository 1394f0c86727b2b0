/**
 * Quoting for bash: any string (without NUL) as one word, so the batch
 * script runs exactly the argv and environment it was given, and messages
 * show command lines a person can paste.
 *
 * @module
 */

/**
 * `word` as one bash word: bare when it holds only characters bash leaves
 * alone, else in single quotes (a `'` inside becomes `'\''`).
 *
 * @param word any text without NUL characters
 * @returns the bash word
 * @throws {RangeError} when `word` holds a NUL character, which no argument can carry
 */
export function shellWord(word: string): string {
  if (word.includes("\0")) {
    throw new RangeError(`Cannot quote ${JSON.stringify(word)} for bash: it holds a NUL character`);
  }
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
