/**
 * "Did you mean …?": the spelling a user most likely meant when they typed an
 * unknown key, value or stage name.
 *
 * @module
 */

/**
 * The candidate closest to `word` by edit distance, when it is close enough to
 * be a plausible typo (at most a third of the word's length, and at least 2).
 *
 * @param word what the user typed
 * @param candidates the valid spellings
 * @returns the nearest candidate, or undefined when none is close
 * @example
 * ```ts
 * import { didYouMean } from "./did_you_mean.ts";
 *
 * if (didYouMean("nInti", ["nInit", "maxIter"]) !== "nInit") throw new Error();
 * ```
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
