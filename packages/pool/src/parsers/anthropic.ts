import { toCount } from "./openai.js";
import type { DimensionObservation, RateLimitParser } from "./types.js";

const DIMENSIONS = ["requests", "tokens", "input-tokens", "output-tokens"].map((name) => ({
  name,
  limit: `anthropic-ratelimit-${name}-limit`,
  remaining: `anthropic-ratelimit-${name}-remaining`,
  reset: `anthropic-ratelimit-${name}-reset`,
}));

/**
 * Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
 * where reset is an RFC 3339 timestamp.
 */
export const anthropicRateLimitParser: RateLimitParser = {
  name: "anthropic",
  parse(header) {
    let dimensions: Record<string, DimensionObservation> | undefined;
    for (const names of DIMENSIONS) {
      const dimension = names.name;
      const limit = toCount(header(names.limit));
      const remaining = toCount(header(names.remaining));
      const resetText = header(names.reset);
      const resetAt = resetText === undefined ? Number.NaN : Date.parse(resetText);
      if (limit === undefined && remaining === undefined && Number.isNaN(resetAt)) continue;
      const observation: DimensionObservation = {};
      if (limit !== undefined) observation.limit = limit;
      if (remaining !== undefined) observation.remaining = remaining;
      if (!Number.isNaN(resetAt)) observation.resetAt = resetAt;
      dimensions ??= {};
      dimensions[dimension] = observation;
    }
    return dimensions && { dimensions };
  },
};
