import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonStringField, jsonNumber, jsonString } from "./json-text.js";

const runs = Number(process.env.FC_NUM_RUNS ?? 2_000);

describe("jsonNumber", () => {
  it("writes every value of at most two decimals as JSON.stringify does", () => {
    // The request log's latencies: Math.round(ms * 100) / 100, over the whole fast-path range.
    for (let hundredths = 0; hundredths < 200_000; hundredths++) {
      const n = hundredths / 100;
      if (jsonNumber(n) !== JSON.stringify(n)) expect(jsonNumber(n)).toBe(JSON.stringify(n));
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), (hundredths) => {
        const n = hundredths / 100;
        expect(jsonNumber(n)).toBe(JSON.stringify(n));
        const rounded = Math.round((n + 0.004) * 100) / 100;
        expect(jsonNumber(rounded)).toBe(JSON.stringify(rounded));
      }),
      { numRuns: runs },
    );
  });

  it("writes any other number as JSON.stringify does", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.integer(),
          fc.double({ min: 0, max: 1e9 }),
          fc.double({ min: 0, max: 0.1 }),
          fc.constantFrom(-0, 0.005, 1.005, 0.1 + 0.2, 1e9 - 0.01, 1e21, Number.NaN, -1.25),
        ),
        (n) => {
          expect(jsonNumber(n)).toBe(JSON.stringify(n));
        },
      ),
      { numRuns: runs },
    );
  });
});

describe("jsonString", () => {
  it("writes strings as JSON.stringify does", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" })), (text) => {
        expect(jsonString(text)).toBe(JSON.stringify(text));
      }),
      { numRuns: runs },
    );
  });
});

describe("JsonStringField", () => {
  it("quotes as JSON.stringify does, whatever came before", () => {
    // A few values (one that needs escapes, one longer than what a field keeps), in runs.
    const text = fc.oneof(
      fc.constantFrom("gpt-4o", "", 'a "quoted" word', "tab\there", "\udc00", "m".repeat(513)),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 20 }), (texts) => {
        const field = new JsonStringField();
        for (const t of texts) expect(field.quote(t)).toBe(JSON.stringify(t));
      }),
      { numRuns: runs },
    );
  });
});
