import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonTextCache } from "./json-text-cache.js";

/** Strings long enough to be cached, drawn from a few so that they repeat. */
const longText = fc
  .tuple(fc.constantFrom("a", 'q"\\', "é😀\u2028", "\u0000\n"), fc.integer({ min: 500, max: 2100 }))
  .map(([unit, times]) => unit.repeat(times));

/** Values a translator builds, odd ones included: holes, undefined, toJSON, other prototypes. */
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    longText,
    fc.constantFrom(undefined, Number.NaN, -0, Number.POSITIVE_INFINITY),
    fc.constant(() => 1),
    fc.constant(new Date(0)),
    fc.constant({ toJSON: () => ({ replaced: true }) }),
    // A toJSON is told the key (or array index) it is written under.
    fc.constant({ toJSON: (key: string) => `under ${key}` }),
    fc.constant({ toJSON: () => undefined }),
    fc.constant(Object.assign([1], { toJSON: (key: string) => [key] })),
    fc.constant(Object.assign(Object.create(null), { nullProto: 1 })),
    fc.constant(
      new (class Box {
        inner = "x";
      })(),
    ),
    fc.array(tie("any"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("1", "0", "__proto__")), tie("any"), {
      maxKeys: 4,
    }),
  ),
})).any;

describe("JsonTextCache", () => {
  it("writes what JSON.stringify writes, for any value, long texts repeated or not", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (values) => {
        const cache = new JsonTextCache();
        // One cache across several values, as across the closing events of one stream.
        for (const v of values) expect(cache.stringify(v)).toBe(JSON.stringify(v));
        expect(cache.stringify(values)).toBe(JSON.stringify(values));
      }),
      { numRuns: 500 },
    );
  });

  it("escapes a long text once however often it is written", () => {
    const text = "x".repeat(10_000);
    const cache = new JsonTextCache();
    const first = cache.stringify({ text });
    // A copy equal in value (as the closing events hold) is found by value, not identity.
    const copy = JSON.parse(JSON.stringify(text)) as string;
    const stringify = JSON.stringify;
    let escaped = 0;
    JSON.stringify = ((v: unknown, ...rest: []) => {
      if (typeof v === "string" && v.length >= 10_000) escaped++;
      return stringify(v, ...rest);
    }) as typeof JSON.stringify;
    try {
      expect(cache.stringify({ part: { text: copy }, output_text: copy })).toBe(
        stringify({ part: { text }, output_text: text }),
      );
    } finally {
      JSON.stringify = stringify;
    }
    expect(first).toBe(stringify({ text }));
    expect(escaped).toBe(0);
  });
});

describe("JsonTextCache.remember", () => {
  it("writes a remembered text from the JSON handed in, any length from 64 on", () => {
    const text = "word ".repeat(20);
    const cache = new JsonTextCache();
    // A marker in place of the real JSON shows which one is written (never done for real).
    cache.remember(text, '"remembered"');
    expect(cache.holds(text)).toBe(true);
    expect(cache.stringify({ text, part: [text] })).toBe(
      '{"text":"remembered","part":["remembered"]}',
    );
    // Shorter texts are not worth a lookup: written as always.
    cache.remember("short", '"remembered"');
    expect(cache.holds("short")).toBe(false);
    expect(cache.stringify("short")).toBe('"short"');
  });

  it("still writes what JSON.stringify writes with true JSON remembered", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), longText, (values, text) => {
        const cache = new JsonTextCache();
        cache.remember(text, JSON.stringify(text));
        for (const v of [...values, text, { text }]) {
          expect(cache.stringify(v)).toBe(JSON.stringify(v));
        }
      }),
      { numRuns: 300 },
    );
  });
});
