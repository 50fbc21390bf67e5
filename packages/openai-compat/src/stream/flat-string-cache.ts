import { flatString } from "./delta-frame.js";

/**
 * `make(key)` as a flat string, made once per key for up to `max` keys (a translator's few
 * dozen event types, a JSON key set); any key past those is made on each call, so a caller's
 * own keys cannot grow the cache without bound.
 */
export function flatStringsByKey(
  make: (key: string) => string,
  max: number,
): (key: string) => string {
  const kept = new Map<string, string>();
  return (key) => {
    let text = kept.get(key);
    if (text === undefined) {
      text = flatString(make(key));
      if (kept.size < max) kept.set(key, text);
    }
    return text;
  };
}

/**
 * `make(n)` as a flat string, made once for each whole number below `count` (every stream
 * counts its events from 0, so the same strings serve them all); any other number is made on
 * each call.
 */
export function flatStringsByNumber(
  make: (n: number) => string,
  count: number,
): (n: number) => string {
  const kept: string[] = [];
  return (n) => {
    if (!Number.isInteger(n) || n < 0 || n >= count) return make(n);
    // Filled in order: a hole would make the array slow.
    for (let k = kept.length; k <= n; k++) kept.push(flatString(make(k)));
    return kept[n] as string;
  };
}
