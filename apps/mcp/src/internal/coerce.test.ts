import { describe, expect, it } from "vitest";
import { compact, formatDuration, formatUsd, safeUrl } from "./coerce.js";

describe("coerce helpers", () => {
  it("strips credentials and secret query values from URLs", () => {
    expect(safeUrl("https://u:p@api.example.com/v1?key=abc&region=eu")).toBe(
      "https://api.example.com/v1?key=%5Bredacted%5D&region=eu",
    );
    expect(safeUrl("https://api.groq.com/openai/v1")).toBe("https://api.groq.com/openai/v1");
    expect(safeUrl("http://x.local/")).toBe("http://x.local/");
    expect(safeUrl("not a url")).toBe("not a url");
    expect(safeUrl(5)).toBeUndefined();
  });

  it("formats durations and dollars for people", () => {
    expect(formatDuration(3_723_000)).toBe("1h 2m");
    expect(formatDuration(90_061_000)).toBe("1d 1h");
    expect(formatDuration(65_000)).toBe("1m 5s");
    expect(formatDuration(999)).toBe("0s");
    expect(formatUsd(0.08215)).toBe("$0.0822");
    expect(formatUsd(12.5)).toBe("$12.50");
    expect(formatUsd(0)).toBe("$0.00");
  });

  it("drops undefined entries", () => {
    expect(compact({ a: 1, b: undefined, c: null })).toEqual({ a: 1, c: null });
  });
});
