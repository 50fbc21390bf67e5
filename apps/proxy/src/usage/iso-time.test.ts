import { describe, expect, it } from "vitest";
import { isoTime } from "./iso-time.js";

describe("isoTime", () => {
  it("formats like toISOString, for repeated and changing milliseconds", () => {
    for (const ms of [0, 1, 1, 1_763_700_000_123, 1_763_700_000_123, 1_763_700_000_124, 5]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
