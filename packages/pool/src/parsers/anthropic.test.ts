import { describe, expect, it } from "vitest";
import { anthropicRateLimitParser } from "./anthropic.js";

const reader = (headers: Record<string, string>) => (name: string) => headers[name];

describe("anthropicRateLimitParser", () => {
  it("reads all four dimensions with RFC 3339 resets", () => {
    const headers: Record<string, string> = {};
    const dims = ["requests", "tokens", "input-tokens", "output-tokens"];
    dims.forEach((d, i) => {
      headers[`anthropic-ratelimit-${d}-limit`] = String(1000 * (i + 1));
      headers[`anthropic-ratelimit-${d}-remaining`] = String(500 * (i + 1));
      headers[`anthropic-ratelimit-${d}-reset`] = `2025-01-01T00:00:0${i}Z`;
    });
    const result = anthropicRateLimitParser.parse(reader(headers), 0);
    const base = Date.UTC(2025, 0, 1);
    expect(result).toEqual({
      dimensions: {
        requests: { limit: 1000, remaining: 500, resetAt: base },
        tokens: { limit: 2000, remaining: 1000, resetAt: base + 1000 },
        "input-tokens": { limit: 3000, remaining: 1500, resetAt: base + 2000 },
        "output-tokens": { limit: 4000, remaining: 2000, resetAt: base + 3000 },
      },
    });
  });

  it("accepts offsets and fractional seconds", () => {
    const result = anthropicRateLimitParser.parse(
      reader({ "anthropic-ratelimit-tokens-reset": "2025-01-01T01:00:00.250+01:00" }),
      0,
    );
    expect(result?.dimensions?.tokens?.resetAt).toBe(Date.UTC(2025, 0, 1) + 250);
  });

  it("skips malformed values and returns undefined without headers", () => {
    expect(anthropicRateLimitParser.parse(reader({}), 0)).toBeUndefined();
    const result = anthropicRateLimitParser.parse(
      reader({
        "anthropic-ratelimit-requests-remaining": "x",
        "anthropic-ratelimit-requests-reset": "tomorrow",
        "anthropic-ratelimit-tokens-remaining": "7",
      }),
      0,
    );
    expect(result).toEqual({ dimensions: { tokens: { remaining: 7 } } });
  });
});
