import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AnthropicStreamEvent } from "../types/anthropic.js";
import { createAnthropicToOpenAIStreamTranslator } from "./anthropic-to-openai.js";
import {
  createTextDeltaEventScanner,
  isJsonStringLiteral,
  textDeltaLiteral,
  textDeltaLiterals,
} from "./json-literal.js";
import { serializeOpenAIStreamItem } from "./serialize.js";

const literal = (text: string) => isJsonStringLiteral(text, 0, text.length);

/** What JSON.parse says: is `text` exactly one JSON string? */
const parsesAsString = (text: string) => {
  try {
    return (
      typeof JSON.parse(text) === "string" && text.trimStart() === text && text.trimEnd() === text
    );
  } catch {
    return false;
  }
};

/** Strings made of the characters that matter to a JSON string literal. */
const jsonish = fc
  .array(
    fc.constantFrom(
      '"',
      "\\",
      "u",
      "0",
      "a",
      "F",
      "n",
      "t",
      "/",
      "x",
      "\n",
      "\u0001",
      "é",
      "😀",
      " ",
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

describe("isJsonStringLiteral", () => {
  it("accepts every string JSON.stringify makes", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => literal(JSON.stringify(s))));
  });

  it("agrees with JSON.parse on quoted junk", () => {
    fc.assert(
      fc.property(jsonish, (inner) => {
        const text = `"${inner}"`;
        expect(literal(text)).toBe(parsesAsString(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects what is not one whole literal", () => {
    for (const text of ['"a"b"', '"a', 'a"', '""x', '"\\"', '"\\u12"', '"\\q"', '"\t"', ""]) {
      expect(literal(text)).toBe(false);
    }
    expect(literal('"\\u00e9\\n\\"\\/"')).toBe(true);
  });
});

describe("textDeltaLiteral", () => {
  const event = (text: string, index = 0) =>
    JSON.stringify({
      type: "content_block_delta",
      index,
      delta: { type: "text_delta", text },
    });

  it("returns the text's literal for the form Anthropic sends", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.nat(99), (text, index) => {
        expect(textDeltaLiteral(event(text, index))).toBe(JSON.stringify(text));
      }),
    );
  });

  it("leaves every other form to the full parser", () => {
    for (const data of [
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","x":1}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"},"x":1}',
      '{"type": "content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}',
      '{"type":"content_block_delta","index":,"delta":{"type":"text_delta","text":"a"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"a"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}} ',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\\q"}}',
      // JSON.parse refuses a number with a leading zero
      '{"type":"content_block_delta","index":01,"delta":{"type":"text_delta","text":"a"}}',
    ]) {
      expect(textDeltaLiteral(data)).toBeUndefined();
    }
  });
});

describe("createTextDeltaEventScanner", () => {
  const event = (text: string, index = 0) =>
    `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index, delta: { type: "text_delta", text } })}\n\n`;
  const at = (before: string, sse: string) =>
    [`${before}${sse}event: ping\n\n`, before.length, before.length + sse.length] as const;

  it("returns the literal of every text delta event, blocks of any index in any order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: "binary" }), fc.nat(12), fc.string({ maxLength: 3 })), {
          maxLength: 8,
        }),
        (deltas) => {
          const scan = createTextDeltaEventScanner();
          for (const [text, index, before] of deltas) {
            expect(scan(...at(before, event(text, index)))).toBe(JSON.stringify(text));
          }
        },
      ),
    );
  });

  it("declines every other event, however close", () => {
    const scan = createTextDeltaEventScanner();
    expect(scan(...at("", event("a")))).toBe('"a"'); // keeps the head of index 0
    for (const sse of [
      event("a").replace("event: content_block_delta\n", ""),
      event("a").replace("event: content_block_delta", "event: content_block_deltas"),
      event("a").replace("data: ", "data:"),
      event("a").replace('"index":0', '"index":00'),
      event("a").replace('"index":0', '"index":01'),
      event("a").replace('"a"', '"a\\q"'),
      event("a").replace("}}", "},}"),
      event("a").replace("text_delta", "thinking_delta"),
      event("a").replace("\n\n", "\nid: 1\n\n"),
    ]) {
      expect(scan(...at("", sse))).toBeUndefined();
    }
  });
});

describe("textDeltaLiterals", () => {
  /** What the per-event scanner makes of the events from `start`, framed as an SseReader frames them. */
  function eventByEvent(text: string, start: number, head: string, tail: string) {
    const scan = createTextDeltaEventScanner();
    let out = "";
    let i = start;
    for (;;) {
      const blank = text.indexOf("\n\n", i);
      if (blank < 0) break;
      const literal = scan(text, i, blank + 2);
      if (literal === undefined) break;
      out += `${head}${literal}${tail}`;
      i = blank + 2;
    }
    return { out, end: i };
  }
  const run = (text: string, start: number) => {
    const literals: string[] = [];
    const end = textDeltaLiterals(text, start, literals);
    return { out: literals.map((literal) => `<${literal}>`).join(""), end };
  };
  const delta = (literal: string, index = "0") =>
    `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${literal}}}\n\n`;
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: "binary" }).map((t) => delta(JSON.stringify(t))) },
    { weight: 3, arbitrary: jsonish.map((t) => delta(`"${t}"`)) },
    fc
      .tuple(fc.constantFrom("1", "12", "00", "01", "-1", " 0"), jsonish)
      .map(([index, t]) => delta(JSON.stringify(t), index)),
    fc.constantFrom(
      "event: ping\ndata: {}\n\n",
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      delta('"a"').replace("data: ", "data:"),
      delta('"a"').replace("}}", "} }"),
      delta('"a"').replace("\n\n", "\r\n\r\n"),
      delta('"a"').replace("text_delta", "thinking_delta"),
      delta('"a"').slice(0, -1),
    ),
  );

  it("takes exactly the events the per-event scanner takes, with the same literals", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.nat(3), (pieces, skip) => {
        const text = pieces.join("");
        // Start at an event boundary, as the reader calls it.
        const start = pieces.slice(0, Math.min(skip, pieces.length)).join("").length;
        expect(run(text, start)).toEqual(eventByEvent(text, start, "<", ">"));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads a run longer than its window in several calls, each ending on an event", () => {
    const text = Array.from({ length: 2000 }, (_, i) => delta(JSON.stringify(`w${i} ✓"\\`))).join(
      "",
    );
    let out = "";
    let i = 0;
    let calls = 0;
    for (;;) {
      const next = run(text, i);
      if (next.end === i) break;
      out += next.out;
      i = next.end;
      calls++;
    }
    expect(calls).toBeGreaterThan(1);
    expect({ out, end: i }).toEqual(eventByEvent(text, 0, "<", ">"));
    expect(i).toBe(text.length);
  });
});

describe("AnthropicToOpenAIStreamTranslator.textDeltaSse", () => {
  it("gives exactly what push + serialize give for the same text delta", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 5 }),
        (texts) => {
          const slow = createAnthropicToOpenAIStreamTranslator({ now: () => 1_000 });
          const fast = createAnthropicToOpenAIStreamTranslator({ now: () => 1_000 });
          const start = {
            type: "message_start",
            message: {
              id: "msg_1",
              type: "message",
              role: "assistant",
              model: "claude-x",
              content: [] as [],
              stop_reason: null,
              stop_sequence: null,
              usage: { input_tokens: 1, output_tokens: 0 },
            },
          } satisfies AnthropicStreamEvent;
          slow.push(start);
          fast.push(start);
          for (const text of texts) {
            const expected = slow
              .push({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })
              .map(serializeOpenAIStreamItem)
              .join("");
            const data = JSON.stringify({
              type: "content_block_delta",
              index: 0,
              delta: { type: "text_delta", text },
            });
            expect(fast.textDeltaSse(data)).toBe(expected);
          }
        },
      ),
    );
  });

  it("declines other events, and text deltas before the stream started or after it ended", () => {
    const delta =
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}';
    const translator = createAnthropicToOpenAIStreamTranslator();
    expect(translator.textDeltaSse(delta)).toBeUndefined();
    translator.push({
      type: "message_start",
      message: {
        id: "m",
        type: "message",
        role: "assistant",
        model: "x",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 0 },
      },
    });
    expect(translator.textDeltaSse(delta)).toContain('"delta":{"content":"a"}');
    expect(translator.textDeltaSse('{"type":"message_stop"}')).toBeUndefined();
    translator.error(new Error("x"));
    expect(translator.textDeltaSse(delta)).toBeUndefined();
  });
});
