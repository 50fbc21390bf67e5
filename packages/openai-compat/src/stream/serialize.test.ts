import { describe, expect, it } from "vitest";
import { FIXTURES, readFixtureMessages } from "../__fixtures__/read-fixture.js";
import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { OpenAIChatCompletionChunk } from "../types/openai.js";
import { createAnthropicToOpenAIStreamTranslator } from "./anthropic-to-openai.js";
import {
  parseOpenAIStreamData,
  serializeAnthropicStreamEvent,
  serializeOpenAIStreamItem,
} from "./serialize.js";
import { OPENAI_STREAM_DONE } from "./stream-errors.js";

const chunk: OpenAIChatCompletionChunk = {
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { content: 'a "quoted" \n line' }, finish_reason: null }],
};

describe("serializeOpenAIStreamItem", () => {
  it("is byte-identical to JSON.stringify for every chunk the translator makes", () => {
    let count = 0;
    for (const name of FIXTURES.anthropic) {
      const translator = createAnthropicToOpenAIStreamTranslator({ includeUsage: true });
      for (const m of readFixtureMessages(`anthropic-${name}`)) {
        for (const item of translator.push(JSON.parse(m.data) as AnthropicStreamEvent)) {
          const expected = item === OPENAI_STREAM_DONE ? "[DONE]" : JSON.stringify(item);
          expect(serializeOpenAIStreamItem(item)).toBe(`data: ${expected}\n\n`);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(50);
  });

  it("keeps fields beyond the usual shape and any key order (JSON.stringify fallback)", () => {
    const extra = { ...chunk, system_fingerprint: "fp_1" };
    expect(serializeOpenAIStreamItem(extra)).toBe(`data: ${JSON.stringify(extra)}\n\n`);
    const { model, ...rest } = chunk;
    const reordered = { model, ...rest };
    expect(serializeOpenAIStreamItem(reordered)).toBe(`data: ${JSON.stringify(reordered)}\n\n`);
    const withLogprobs = { ...chunk, choices: [{ ...chunk.choices[0]!, logprobs: null }] };
    expect(serializeOpenAIStreamItem(withLogprobs)).toBe(
      `data: ${JSON.stringify(withLogprobs)}\n\n`,
    );
  });

  it("leaves a choice with a toJSON method to JSON.stringify", () => {
    // A class's toJSON is not enumerable: the keys alone would match the template.
    class Choice {
      index = 0;
      delta = { content: "a" };
      finish_reason = null;
      toJSON() {
        return { replaced: true };
      }
    }
    const withChoice = { ...chunk, choices: [new Choice()] } as never;
    expect(serializeOpenAIStreamItem(withChoice)).toBe(`data: ${JSON.stringify(withChoice)}\n\n`);
    expect(JSON.stringify(withChoice)).toContain('"choices":[{"replaced":true}]');
  });

  it("rebuilds the cached prefix when id or model changes", () => {
    const a = serializeOpenAIStreamItem(chunk);
    const b = serializeOpenAIStreamItem({ ...chunk, id: "other", model: "n" });
    expect(a).toBe(`data: ${JSON.stringify(chunk)}\n\n`);
    expect(b).toBe(`data: ${JSON.stringify({ ...chunk, id: "other", model: "n" })}\n\n`);
  });

  it("writes [DONE] and error objects", () => {
    expect(serializeOpenAIStreamItem(OPENAI_STREAM_DONE)).toBe("data: [DONE]\n\n");
    const error = { error: { message: "x", type: "server_error", param: null, code: null } };
    expect(serializeOpenAIStreamItem(error)).toBe(`data: ${JSON.stringify(error)}\n\n`);
  });
});

describe("parseOpenAIStreamData / serializeAnthropicStreamEvent", () => {
  it("recognises [DONE], also with stray whitespace", () => {
    expect(parseOpenAIStreamData("[DONE]")).toBe(OPENAI_STREAM_DONE);
    expect(parseOpenAIStreamData(" [DONE] ")).toBe(OPENAI_STREAM_DONE);
    expect(parseOpenAIStreamData('{"a":1}')).toEqual({ a: 1 });
  });

  it("names the SSE event after the Anthropic event type", () => {
    expect(serializeAnthropicStreamEvent({ type: "content_block_stop", index: 2 })).toBe(
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":2}\n\n',
    );
  });
});
