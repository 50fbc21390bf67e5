import { toCount } from "./openai.js";
import type { DimensionObservation, RateLimitParser } from "./types.js";

const DIMENSIONS = ["requests", "tokens", "input-tokens", "output-tokens"] as const;

/**
 * Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
 * where reset is an RFC 3339 timestamp.
 */
export const anthropicRateLimitParser: RateLimitParser = {
  name: "anthropic",
  parse(header) {
    let dimensions: Record<string, DimensionObservation> | undefined;
    for (const dimension of DIMENSIONS) {
      const prefix = `anthropic-ratelimit-${dimension}`;
      const limit = toCount(header(`${prefix}-limit`));
      const remaining = toCount(header(`${prefix}-remaining`));
      const resetText = header(`${prefix}-reset`);
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
