import { describe, expect, it } from "vitest";
import { convertAnthropicResponseToOpenAI } from "./convert-anthropic-response-to-openai.js";
import { TranslationError } from "./errors.js";
import type { AnthropicMessage } from "./types/anthropic.js";

const message = (extra: Partial<AnthropicMessage>): AnthropicMessage => ({
  id: "msg_01",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5",
  content: [{ type: "text", text: "Hello!", citations: null }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: {
    input_tokens: 10,
    output_tokens: 3,
    cache_read_input_tokens: 5,
    cache_creation_input_tokens: 0,
  },
  ...extra,
});
const now = () => 1_700_000_000_123;

describe("convertAnthropicResponseToOpenAI", () => {
  it("converts a text reply with usage and keeps id and model", () => {
    expect(convertAnthropicResponseToOpenAI(message({}), { now })).toEqual({
      id: "msg_01",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "claude-sonnet-4-5",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello!", refusal: null },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 15,
        completion_tokens: 3,
        total_tokens: 18,
        prompt_tokens_details: { cached_tokens: 5 },
      },
    });
  });

  it("converts thinking and tool use", () => {
    const out = convertAnthropicResponseToOpenAI(
      message({
        content: [
          { type: "thinking", thinking: "Need the weather.", signature: "sig" },
          { type: "redacted_thinking", data: "enc" },
          { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } },
        ],
        stop_reason: "tool_use",
      }),
      { now },
    );
    expect(out.choices[0]).toEqual({
      index: 0,
      message: {
        role: "assistant",
        content: null,
        refusal: null,
        reasoning_content: "Need the weather.",
        tool_calls: [
          {
            id: "toolu_1",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      finish_reason: "tool_calls",
      logprobs: null,
    });
  });

  it("uses the reasoning field when asked and maps refusal and max_tokens", () => {
    const thinking = message({
      content: [
        { type: "thinking", thinking: "t", signature: "s" },
        { type: "text", text: "x" },
      ],
    });
    expect(
      convertAnthropicResponseToOpenAI(thinking, { reasoningField: "reasoning" }).choices[0]
        ?.message.reasoning,
    ).toBe("t");
    expect(
      convertAnthropicResponseToOpenAI(message({ stop_reason: "refusal" })).choices[0]
        ?.finish_reason,
    ).toBe("content_filter");
    expect(
      convertAnthropicResponseToOpenAI(message({ stop_reason: "max_tokens" })).choices[0]
        ?.finish_reason,
    ).toBe("length");
  });

  it("rejects blocks OpenAI cannot express with a 502 TranslationError", () => {
    try {
      convertAnthropicResponseToOpenAI(
        message({ content: [{ type: "server_tool_use" } as never] }),
      );
      expect.unreachable();
    } catch (error) {
      expect(TranslationError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({
        code: "unsupported_content",
        status: 502,
        param: "content[0]",
      });
    }
    expect(() => convertAnthropicResponseToOpenAI({} as never)).toThrow(/no content array/);
  });
});
