import { describe, expect, it } from "vitest";
import { openaiRateLimitParser } from "./openai.js";

const reader = (headers: Record<string, string>) => (name: string) => headers[name];
const NOW = 1_700_000_000_000;

describe("openaiRateLimitParser", () => {
  it("reads both dimensions with duration resets relative to now", () => {
    const result = openaiRateLimitParser.parse(
      reader({
        "x-ratelimit-limit-requests": "5000",
        "x-ratelimit-remaining-requests": "4999",
        "x-ratelimit-reset-requests": "12ms",
        "x-ratelimit-limit-tokens": "160000",
        "x-ratelimit-remaining-tokens": "159976",
        "x-ratelimit-reset-tokens": "6m0s",
      }),
      NOW,
    );
    expect(result).toEqual({
      dimensions: {
        requests: { limit: 5000, remaining: 4999, resetAt: NOW + 12 },
        tokens: { limit: 160000, remaining: 159976, resetAt: NOW + 360_000 },
      },
    });
  });

  it("reads Groq's fractional resets and partial dimensions", () => {
    const result = openaiRateLimitParser.parse(
      reader({ "x-ratelimit-remaining-tokens": "100", "x-ratelimit-reset-tokens": "7.66s" }),
      NOW,
    );
    expect(result).toEqual({ dimensions: { tokens: { remaining: 100, resetAt: NOW + 7_660 } } });
  });

  it("ignores malformed values and returns undefined without headers", () => {
    expect(openaiRateLimitParser.parse(reader({}), NOW)).toBeUndefined();
    const result = openaiRateLimitParser.parse(
      reader({
        "x-ratelimit-limit-requests": "lots",
        "x-ratelimit-remaining-requests": "-3",
        "x-ratelimit-reset-requests": "soon",
      }),
      NOW,
    );
    expect(result).toBeUndefined();
  });
});
