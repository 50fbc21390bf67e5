import { describe, expect, it } from "vitest";
import { defaultParsers } from "./index.js";
import { parseRetryAfter, retryAfterParser } from "./retry-after.js";

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const reader = (headers: Record<string, string>) => (name: string) => headers[name];

describe("retryAfterParser", () => {
  it("reads delay-seconds", () => {
    expect(retryAfterParser.parse(reader({ "retry-after": "30" }), NOW)).toEqual({
      retryAfterMs: 30_000,
    });
  });

  it("reads an HTTP date relative to the injected clock", () => {
    const date = new Date(NOW + 90_000).toUTCString();
    expect(retryAfterParser.parse(reader({ "retry-after": date }), NOW)).toEqual({
      retryAfterMs: 90_000,
    });
  });

  it("clamps a date in the past to zero", () => {
    const date = new Date(NOW - 5_000).toUTCString();
    expect(parseRetryAfter(undefined, date, NOW)).toBe(0);
  });

  it("prefers retry-after-ms, fractional allowed", () => {
    expect(parseRetryAfter("1500.5", "30", NOW)).toBe(1500.5);
  });

  it("falls back to retry-after when retry-after-ms is malformed", () => {
    expect(parseRetryAfter("soon", "2", NOW)).toBe(2_000);
  });

  it("returns undefined for absent or malformed values", () => {
    expect(retryAfterParser.parse(reader({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, "whenever", NOW)).toBeUndefined();
    expect(parseRetryAfter("-5", undefined, NOW)).toBeUndefined();
  });

  it("is one of the default parsers", () => {
    expect(defaultParsers.map((p) => p.name)).toEqual(["openai", "anthropic", "retry-after"]);
  });
});
