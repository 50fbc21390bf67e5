import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quote } from "./json-quote.js";

describe("quote", () => {
  it("is JSON.stringify for any string", () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom("a", '"', "\\", "\u007f", "\u001f", "\ud800", "é") }),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(quote(s)).toBe(JSON.stringify(s));
      }),
      { numRuns: 1000 },
    );
    for (const s of ["", "resp_1", "x".repeat(64), "x".repeat(65), "\u007f", "~ ", '"'])
      expect(quote(s)).toBe(JSON.stringify(s));
  });
});
