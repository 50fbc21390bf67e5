import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonTextCache } from "./json-text-cache.js";
import {
  canonicalTextJson,
  decodeTextLiteral,
  outputTextDeltaHead,
  outputTextDeltaSse,
  rememberTextJson,
  writeTextDeltaRow,
} from "./responses-text-delta.js";

/** A text's literal body written as JSON.stringify writes it, or with other escapes. */
const literal = fc
  .tuple(
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.constantFrom("\ud83d", "\ude00x", "a\u0000b", "/", "A\\u"),
    ),
    fc.constantFrom("stringify", "slash", "unicode"),
  )
  .map(([text, style]) => {
    const body = JSON.stringify(text).slice(1, -1);
    if (style === "slash") return body.replaceAll("/", "\\/");
    if (style === "unicode") return body.replaceAll("A", "\\u0041");
    return body;
  });

describe("canonicalTextJson", () => {
  it("is the text's JSON whenever it answers, and answers for JSON.stringify's own literals", () => {
    fc.assert(
      fc.property(fc.array(literal, { maxLength: 4 }), (parts) => {
        // Deltas' literals joined, as a translator keeps them.
        const joined = parts.join("");
        const json = canonicalTextJson(joined);
        const text = decodeTextLiteral(joined);
        if (json !== undefined) expect(json).toBe(JSON.stringify(text));
        if (!/\\u|\\\/|[\ud800-\udfff]/.test(joined)) expect(json).toBe(JSON.stringify(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses escapes JSON.stringify writes otherwise, and lone surrogates", () => {
    expect(canonicalTextJson("a\\/b")).toBeUndefined();
    expect(canonicalTextJson("\\u0041")).toBeUndefined();
    expect(canonicalTextJson("\ud83d")).toBeUndefined();
    // Halves of a pair from two deltas make a pair: JSON.stringify writes it as it is.
    expect(canonicalTextJson("\ud83d\ude00")).toBe('"\ud83d\ude00"');
    expect(canonicalTextJson('q\\"\\n\\\\')).toBe(JSON.stringify('q"\n\\'));
  });

  it("is remembered only for texts long enough to be looked up", () => {
    const texts = new JsonTextCache();
    const long = "word ".repeat(30);
    rememberTextJson(texts, long, long);
    rememberTextJson(texts, "short", "short");
    expect(texts.holds(long)).toBe(true);
    expect(texts.holds("short")).toBe(false);
  });
});

describe("outputTextDeltaSse", () => {
  it("writes every sequence number as the event's JSON does, kept tails or not", () => {
    const head = outputTextDeltaHead('"msg_1"', 2);
    for (const sequence of [0, 1, 9, 10, 4095, 4096, 123456, 7]) {
      const event = {
        type: "response.output_text.delta",
        item_id: "msg_1",
        output_index: 2,
        content_index: 0,
        delta: "Hi",
        logprobs: [],
        sequence_number: sequence,
      };
      expect(outputTextDeltaSse(head, '"Hi"', sequence)).toBe(
        `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
      );
    }
  });
});

describe("writeTextDeltaRow", () => {
  it("is each delta's event in turn, numbered on, and adds each literal's body to the item", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.array(literal, { maxLength: 6 }),
        fc.nat(5000),
        (before, bodies, sequence) => {
          const head = outputTextDeltaHead('"msg_1"', 2);
          const literals = bodies.map((body) => `"${body}"`);
          const item = { literal: before };
          const row = writeTextDeltaRow(item, head, literals, sequence);
          const events = literals.map((l, k) => outputTextDeltaSse(head, l, sequence + k));
          expect(row).toBe(events.join(""));
          expect(item.literal).toBe(before + bodies.join(""));
        },
      ),
      { numRuns: 500 },
    );
  });
});
