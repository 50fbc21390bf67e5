import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIXTURES, readFixtureMessages } from "../__fixtures__/read-fixture.js";
import { anthropicEventJson } from "./anthropic-event-json.js";
import { createOpenAIToAnthropicStreamTranslator } from "./openai-to-anthropic.js";
import { parseOpenAIStreamData, serializeAnthropicStreamEvent } from "./serialize.js";

/** Strings with what JSON escapes, non-BMP characters and lone surrogates. */
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.constantFrom('"', "\\", "\n", "\u2028", "😀", "\ud83d", "\u0000", ""),
);
const index = fc.oneof(fc.nat(20), fc.constantFrom(-1, 1.5, Number.NaN, "0", null));
const count = fc.oneof(
  fc.nat(),
  fc.constantFrom(-0, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, null, "1"),
);
const usage = fc.oneof(
  fc.record({ input_tokens: count, output_tokens: count }),
  fc.record({ output_tokens: count }),
  fc.record(
    { input_tokens: count, output_tokens: count, cache_read_input_tokens: count },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, undefined, [1]),
);
const stop = fc.oneof(text, fc.constantFrom(null, undefined, 1));
const delta = fc.oneof(
  fc.record({ type: fc.constant("text_delta"), text }),
  fc.record({ type: fc.constant("thinking_delta"), thinking: text }),
  fc.record({ type: fc.constant("input_json_delta"), partial_json: text }),
  fc.record({ type: fc.constant("signature_delta"), signature: text }),
  fc.record({ type: fc.constant("text_delta"), text: fc.constantFrom(1, null, undefined) }),
  fc.record({ text, type: fc.constant("text_delta") }),
);
const block = fc.oneof(
  fc.record({ type: fc.constant("text"), text }),
  fc.record({ type: fc.constant("text"), text, citations: fc.constant([]) }),
  fc.record({ type: fc.constant("thinking"), thinking: text, signature: text }),
  fc.record({ type: fc.constant("thinking"), thinking: text }),
  fc.record({ type: fc.constant("tool_use"), id: text, name: text, input: fc.constant({}) }),
  fc.record({ type: fc.constant("tool_use"), id: text, name: text, input: fc.constant({ a: 1 }) }),
  fc.record({ type: fc.constant("tool_use"), id: text, name: text, input: fc.constant([]) }),
);
const message = fc.record({
  id: fc.oneof(text, fc.constant(1)),
  type: fc.constantFrom("message", "other"),
  role: fc.constantFrom("assistant", "user"),
  model: text,
  content: fc.constantFrom([], [{ type: "text", text: "" }]),
  stop_reason: fc.constantFrom(null, "end_turn"),
  stop_sequence: fc.constantFrom(null, "x"),
  usage,
});
/** Events of every shape the templates write, and near misses they must leave alone. */
const event = fc.oneof(
  fc.record({ type: fc.constant("content_block_delta"), index, delta }),
  fc.record({ type: fc.constant("content_block_stop"), index }),
  fc.record({ index, type: fc.constant("content_block_stop") }),
  fc.record({ type: fc.constant("content_block_start"), index, content_block: block }),
  fc.record({ type: fc.constant("message_start"), message }),
  fc.record({
    type: fc.constant("message_delta"),
    delta: fc.record({ stop_reason: stop, stop_sequence: stop }),
    usage,
  }),
  fc.record({ type: fc.constant("message_delta"), delta: fc.record({ stop_reason: stop }), usage }),
  fc.record({ type: fc.constantFrom("message_stop", "ping") }),
  fc.record({ type: fc.constantFrom("message_stop", "ping"), extra: text }),
);

describe("anthropicEventJson", () => {
  it("is JSON.stringify for every event, or declines", () => {
    let written = 0;
    fc.assert(
      fc.property(event, (e) => {
        const json = anthropicEventJson(e);
        if (json === undefined) return;
        written++;
        expect(json).toBe(JSON.stringify(e));
      }),
      { numRuns: 3000 },
    );
    // The templates were used, not only declined.
    expect(written).toBeGreaterThan(300);
  });

  it("writes every event the OpenAI → Anthropic translator makes from the fixtures", () => {
    let count = 0;
    for (const name of FIXTURES.openai) {
      const translator = createOpenAIToAnthropicStreamTranslator({
        generateToolId: () => "toolu_x",
        generateMessageId: () => "msg_x",
      });
      for (const m of readFixtureMessages(`openai-${name}`)) {
        for (const e of translator.push(parseOpenAIStreamData(m.data))) {
          if (e.type === "error") continue;
          const json = anthropicEventJson(e);
          expect(json, `${name}: ${e.type}`).toBeDefined();
          expect(json).toBe(JSON.stringify(e));
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(30);
  });

  it("declines shapes it has no template for", () => {
    const stop = { type: "content_block_stop", index: Number.NaN };
    expect(anthropicEventJson(stop)).toBeUndefined();
    const start = { type: "message_start", message: { id: "m", usage: {} } };
    expect(anthropicEventJson(start)).toBeUndefined();
    expect(anthropicEventJson({ type: "error" })).toBeUndefined();
  });

  it("declines objects JSON.stringify would not write key by key (toJSON, another prototype)", () => {
    // A class's toJSON is not enumerable: the keys alone would match the template.
    class Delta {
      type = "text_delta";
      text = "a";
      toJSON() {
        return { type: "text_delta", text: "replaced" };
      }
    }
    const event = { type: "content_block_delta", index: 0, delta: new Delta() };
    expect(anthropicEventJson(event)).toBeUndefined();
    expect(serializeAnthropicStreamEvent(event as never)).toContain('"text":"replaced"');
    class Usage {
      input_tokens = 1;
      output_tokens = 2;
    }
    const stop = { stop_reason: null, stop_sequence: null };
    const arrayUsage = { type: "message_delta", delta: stop, usage: [] };
    expect(anthropicEventJson(arrayUsage)).toBeUndefined();
    const classUsage = { type: "message_delta", delta: stop, usage: new Usage() };
    expect(anthropicEventJson(classUsage)).toBeUndefined();
    const plain = {
      type: "message_delta",
      delta: stop,
      usage: { input_tokens: 1, output_tokens: 2 },
    };
    expect(anthropicEventJson(plain)).toBe(JSON.stringify(plain));
    // No prototype at all: JSON.stringify writes it key by key, and so may the template.
    const bare = Object.assign(Object.create(null), { type: "content_block_stop", index: 1 });
    expect(anthropicEventJson(bare)).toBe('{"type":"content_block_stop","index":1}');
  });
});
