import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeltaFrame, flatString } from "./delta-frame.js";

describe("flatString", () => {
  it("is the same text, lone surrogates and all, built any way", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { maxLength: 8 }), (parts) => {
        let built = "";
        for (const part of parts) built += part;
        expect(flatString(built)).toBe(parts.join(""));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("DeltaFrame", () => {
  it("writes a row as the events head + literal + tail one after another", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.string({ unit: "binary" }),
        fc.array(
          fc.string({ unit: "binary" }).map((t) => JSON.stringify(t)),
          { maxLength: 6 },
        ),
        fc.array(fc.string(), { maxLength: 3 }),
        (head, tail, literals, before) => {
          const frame = new DeltaFrame(head, tail);
          const out = [...before];
          frame.writeRow(literals, out);
          expect(out.join("")).toBe(
            before.join("") + literals.map((literal) => `${head}${literal}${tail}`).join(""),
          );
          expect(out.length).toBe(before.length + (literals.length === 0 ? 0 : 3));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
