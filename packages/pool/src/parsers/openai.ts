import { parseDuration } from "./duration.js";
import type { DimensionObservation, RateLimitParser } from "./types.js";

const DIMENSIONS = ["requests", "tokens"].map((name) => ({
  name,
  limit: `x-ratelimit-limit-${name}`,
  remaining: `x-ratelimit-remaining-${name}`,
  reset: `x-ratelimit-reset-${name}`,
}));

/**
 * OpenAI and Groq: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, where reset is a
 * duration from now such as `6m0s` or `20ms`.
 */
export const openaiRateLimitParser: RateLimitParser = {
  name: "openai",
  parse(header, now) {
    let dimensions: Record<string, DimensionObservation> | undefined;
    for (const names of DIMENSIONS) {
      const dimension = names.name;
      const observation = readDimension(
        header(names.limit),
        header(names.remaining),
        parseDuration(header(names.reset)),
        now,
      );
      if (!observation) continue;
      dimensions ??= {};
      dimensions[dimension] = observation;
    }
    return dimensions && { dimensions };
  },
};

function readDimension(
  limit: string | undefined,
  remaining: string | undefined,
  resetInMs: number | undefined,
  now: number,
): DimensionObservation | undefined {
  const l = toCount(limit);
  const r = toCount(remaining);
  // Most responses carry none of these headers: no object for them.
  if (l === undefined && r === undefined && resetInMs === undefined) return undefined;
  const observation: DimensionObservation = {};
  if (l !== undefined) observation.limit = l;
  if (r !== undefined) observation.remaining = r;
  if (resetInMs !== undefined) observation.resetAt = now + resetInMs;
  return observation;
}

/** A non-negative count from a header value, or `undefined`. */
export function toCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  return value.trim() !== "" && Number.isFinite(n) && n >= 0 ? n : undefined;
}
