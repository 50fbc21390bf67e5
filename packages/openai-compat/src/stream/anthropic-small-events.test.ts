import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { smallAnthropicEvent } from "./anthropic-small-events.js";
import { parseAnthropicStreamData } from "./serialize.js";

/** What JSON.parse makes of `data`, or "throws". */
const parsed = (data: string): unknown => {
  try {
    return JSON.parse(data);
  } catch {
    return "throws";
  }
};

describe("smallAnthropicEvent", () => {
  it("reads the compact small events as JSON.parse does", () => {
    expect(smallAnthropicEvent('{"type":"message_stop"}')).toEqual({ type: "message_stop" });
    expect(smallAnthropicEvent('{"type":"content_block_stop","index":12}')).toEqual({
      type: "content_block_stop",
      index: 12,
    });
    const start = smallAnthropicEvent(
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
    );
    expect(start).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    });
    // Key order as JSON.parse gives it (a serialiser writes keys in that order).
    expect(JSON.stringify(start)).toBe(
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
    );
  });

  it("leaves anything else to JSON.parse", () => {
    for (const data of [
      '{"type":"content_block_stop","index":01}',
      '{"type":"content_block_stop","index":-1}',
      '{"type":"content_block_stop","index":}',
      '{"type":"content_block_stop","index":1e3}',
      '{"type":"content_block_stop","index":12345678901}',
      '{"type":"content_block_stop", "index":1}',
      '{"type":"message_stop" }',
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"a"}}',
      '{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}',
      '{"type":"content_block_start","index":00,"content_block":{"type":"text","text":""}}',
      '{"type":"content_block_start","index":,"content_block":{"type":"text","text":""}}',
    ]) {
      expect(smallAnthropicEvent(data)).toBeUndefined();
    }
  });

  it("gives what JSON.parse gives for any data near the small events' shapes", () => {
    const index = fc.oneof(
      fc.nat().map(String),
      fc.constantFrom("", "0", "00", "01", "-0", "1.0", "1e2", " 1", "9999999999", "x"),
    );
    const data = fc.oneof(
      index.map((i) => `{"type":"content_block_stop","index":${i}}`),
      index.map(
        (i) =>
          `{"type":"content_block_start","index":${i},"content_block":{"type":"text","text":""}}`,
      ),
      fc.constant('{"type":"message_stop"}'),
      fc.string(),
    );
    fc.assert(
      fc.property(data, fc.nat(60), fc.string({ maxLength: 2 }), (d, at, cut) => {
        // Also with a few characters replaced somewhere.
        for (const text of [d, d.slice(0, at) + cut + d.slice(at + cut.length)]) {
          const fast = smallAnthropicEvent(text);
          if (fast !== undefined) expect(fast).toEqual(parsed(text));
          const viaParse = (() => {
            try {
              return parseAnthropicStreamData(text);
            } catch {
              return "throws";
            }
          })();
          expect(viaParse).toEqual(parsed(text));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
