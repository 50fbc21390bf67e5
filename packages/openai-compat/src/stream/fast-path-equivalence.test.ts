import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect, from, splitAt } from "../__fixtures__/stream-arbitraries.js";
import { createSseDecoder } from "../sse.js";
import type { AnthropicStreamEvent } from "../types/anthropic.js";
import {
  type AnthropicToOpenAIStreamOptions,
  createAnthropicToOpenAIStreamTranslator,
} from "./anthropic-to-openai.js";
import { createOpenAIToAnthropicStreamTranslator } from "./openai-to-anthropic.js";
import {
  parseAnthropicStreamData,
  parseOpenAIStreamData,
  serializeAnthropicStreamEvent,
  serializeOpenAIStreamItem,
} from "./serialize.js";
import {
  translateAnthropicStreamToOpenAI,
  translateOpenAIStreamToAnthropic,
} from "./translate-stream.js";

// The stream adapters take text deltas down a fast path that copies the text's JSON literal
// without parsing the event. These properties compare them, on arbitrary text cut anywhere,
// with the slow path: every event parsed, translated and serialised.

/** Texts with what JSON escapes, non-BMP characters (surrogate pairs) and lone surrogates. */
const texts = fc.array(
  fc.oneof(
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.string({ unit: "grapheme", maxLength: 4 }),
    fc.constantFrom('"', "\\", "\n", "\u2028", "😀", "\ud83d", "</script>", "\u0000"),
  ),
  { minLength: 1, maxLength: 12 },
);

function openAIStream(parts: string[], role: boolean): string {
  const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
    `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-x", ...extra, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let sse = chunk({ role: "assistant", content: "" });
  parts.forEach((text, i) => {
    sse += chunk(role ? { role: "assistant", content: text } : { content: text }, null, {
      obfuscation: "x".repeat(i % 3),
    });
  });
  return `${sse}${chunk({}, "stop")}data: [DONE]\n\n`;
}

function anthropicStream(parts: string[]): string {
  const ev = (event: AnthropicStreamEvent) =>
    `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  let sse = ev({
    type: "message_start",
    message: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 1 },
    },
  });
  sse += ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  for (const text of parts) {
    sse += ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });
  }
  sse += ev({ type: "content_block_stop", index: 0 });
  sse += ev({
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: parts.length },
  });
  return sse + ev({ type: "message_stop" });
}

/** The slow path: every event parsed, pushed and serialised. */
function slowOpenAIToAnthropic(sse: string): string {
  const translator = createOpenAIToAnthropicStreamTranslator({ generateMessageId: () => "m" });
  let out = "";
  for (const message of createSseDecoder().push(sse)) {
    for (const event of translator.push(parseOpenAIStreamData(message.data))) {
      out += serializeAnthropicStreamEvent(event);
    }
  }
  for (const event of translator.finish()) out += serializeAnthropicStreamEvent(event);
  return out;
}

function slowAnthropicToOpenAI(sse: string, options: AnthropicToOpenAIStreamOptions): string {
  const translator = createAnthropicToOpenAIStreamTranslator(options);
  let out = "";
  for (const message of createSseDecoder().push(sse)) {
    for (const item of translator.push(parseAnthropicStreamData(message.data))) {
      out += serializeOpenAIStreamItem(item);
    }
  }
  for (const item of translator.finish()) out += serializeOpenAIStreamItem(item);
  return out;
}

describe("fast path = slow path, byte for byte", () => {
  it("OpenAI → Anthropic: any text, any chunk boundaries", async () => {
    await fc.assert(
      fc.asyncProperty(
        texts,
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (parts, role, cuts) => {
          const sse = openAIStream(parts, role);
          const expected = slowOpenAIToAnthropic(sse);
          const bytes = new TextEncoder().encode(sse);
          const got = await collect(
            translateOpenAIStreamToAnthropic(from(splitAt(bytes, cuts)), {
              generateMessageId: () => "m",
            }),
          );
          expect(got).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("Anthropic → OpenAI: any text, any chunk boundaries", async () => {
    const options = { now: () => 1_000_000, includeUsage: true };
    await fc.assert(
      fc.asyncProperty(texts, fc.array(fc.nat(), { maxLength: 30 }), async (parts, cuts) => {
        const sse = anthropicStream(parts);
        const expected = slowAnthropicToOpenAI(sse, options);
        const bytes = new TextEncoder().encode(sse);
        const got = await collect(
          translateAnthropicStreamToOpenAI(from(splitAt(bytes, cuts)), options),
        );
        expect(got).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
