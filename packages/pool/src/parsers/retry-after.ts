import type { RateLimitParser } from "./types.js";

/**
 * `retry-after-ms` (milliseconds, may be fractional) and `retry-after` (delay-seconds or an
 * HTTP date). `retry-after-ms` wins when both are present.
 */
export const retryAfterParser: RateLimitParser = {
  name: "retry-after",
  parse(header, now) {
    const ms = parseRetryAfter(header("retry-after-ms"), header("retry-after"), now);
    return ms === undefined ? undefined : { retryAfterMs: ms };
  },
};

/** The wait in ms that `retry-after-ms` / `retry-after` ask for, or `undefined`. */
export function parseRetryAfter(
  retryAfterMs: string | undefined,
  retryAfter: string | undefined,
  now: number,
): number | undefined {
  if (retryAfterMs !== undefined && /^\s*\d+(?:\.\d+)?\s*$/.test(retryAfterMs)) {
    return Number(retryAfterMs);
  }
  if (retryAfter === undefined) return undefined;
  const text = retryAfter.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1_000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
