import { distance } from "fastest-levenshtein";

/**
 * The candidate a near-miss `input` most likely meant, or `undefined` when none is close:
 * a case-insensitive match (`apikey` → `apiKey`) first, else the nearest by edit distance
 * within a third of the input's length (at least 1, at most 3).
 *
 * @example
 * suggest("apikey", ["baseUrl", "apiKey"]); // "apiKey"
 * suggest("statsu", ["status", "proxy"]); // "status"
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  for (const candidate of candidates) {
    if (candidate === input) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    const d = distance(lower, candidate.toLowerCase());
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` for a near miss, else `""`: append it to an error or warning. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = suggest(input, candidates);
  return match === undefined ? "" : ` (did you mean "${match}"?)`;
}
