import { describe, expect, it } from "vitest";
import { convertAnthropicResponseToResponses } from "./convert-anthropic-response-to-responses.js";
import { createAnthropicToResponsesStreamTranslator } from "./stream/anthropic-to-responses.js";
import { serializeResponsesStreamEvent } from "./stream/serialize-responses.js";
import type { AnthropicMessage, AnthropicStreamEvent } from "./types/anthropic.js";
import { convertAnthropicUsageToOpenAI, convertOpenAIUsageToAnthropic } from "./usage.js";

describe("convertAnthropicUsageToOpenAI", () => {
  it("counts cache reads and writes into prompt_tokens and reports reads as cached", () => {
    expect(
      convertAnthropicUsageToOpenAI({
        input_tokens: 10,
        output_tokens: 7,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
      }),
    ).toEqual({
      prompt_tokens: 130,
      completion_tokens: 7,
      total_tokens: 137,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });

  it("treats missing and null cache fields as zero", () => {
    expect(
      convertAnthropicUsageToOpenAI({
        input_tokens: 5,
        output_tokens: 1,
        cache_read_input_tokens: null,
      }),
    ).toMatchObject({
      prompt_tokens: 5,
      total_tokens: 6,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(convertAnthropicUsageToOpenAI({})).toMatchObject({ prompt_tokens: 0, total_tokens: 0 });
  });

  it("maps thinking tokens to reasoning tokens", () => {
    const usage = convertAnthropicUsageToOpenAI({
      input_tokens: 1,
      output_tokens: 50,
      output_tokens_details: { thinking_tokens: 30 },
    });
    expect(usage.completion_tokens_details).toEqual({ reasoning_tokens: 30 });
  });
});

describe("convertOpenAIUsageToAnthropic", () => {
  it("subtracts cached tokens from input and reports them as cache reads", () => {
    expect(
      convertOpenAIUsageToAnthropic({
        prompt_tokens: 130,
        completion_tokens: 7,
        total_tokens: 137,
        prompt_tokens_details: { cached_tokens: 100 },
        completion_tokens_details: { reasoning_tokens: 3 },
      }),
    ).toEqual({
      input_tokens: 30,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 100,
      output_tokens_details: { thinking_tokens: 3 },
    });
  });

  it("never reports negative input tokens", () => {
    expect(
      convertOpenAIUsageToAnthropic({
        prompt_tokens: 5,
        prompt_tokens_details: { cached_tokens: 9 },
      }).input_tokens,
    ).toBe(0);
  });

  it("round-trips through Anthropic usage when there are no cache writes", () => {
    const openai = {
      prompt_tokens: 42,
      completion_tokens: 8,
      total_tokens: 50,
      prompt_tokens_details: { cached_tokens: 12 },
    };
    expect(convertAnthropicUsageToOpenAI(convertOpenAIUsageToAnthropic(openai))).toEqual(openai);
  });
});

describe("Anthropic usage as Responses usage", () => {
  // The audit's numbers: input 100, cache writes 20, cache reads 300, output 57.
  const usage = {
    input_tokens: 100,
    cache_creation_input_tokens: 20,
    cache_read_input_tokens: 300,
    output_tokens: 57,
  };
  const expected = {
    input_tokens: 420,
    input_tokens_details: { cached_tokens: 300, cache_write_tokens: 20 },
    output_tokens: 57,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 477,
  };
  const message: AnthropicMessage = {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-x",
    content: [{ type: "text", text: "Hi" }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage,
  };

  it("counts cache writes into input_tokens and reports them as cache_write_tokens", () => {
    expect(convertAnthropicResponseToResponses(message).usage).toEqual(expected);
  });

  it("gives the stream's terminal event the same usage, in its SSE too", () => {
    const t = createAnthropicToResponsesStreamTranslator({ now: () => 0 });
    const events: AnthropicStreamEvent[] = [
      {
        type: "message_start",
        message: { ...message, content: [], usage: { ...usage, output_tokens: 1 } },
      },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 57 },
      },
      { type: "message_stop" },
    ] as AnthropicStreamEvent[];
    const out = events.flatMap((e) => t.push(e));
    const last = out.at(-1) as { type: string; response: { usage: unknown } };
    expect(last.type).toBe("response.completed");
    expect(last.response.usage).toEqual(expected);
    const sse = serializeResponsesStreamEvent(out.at(-1)!);
    expect(sse).toContain(`"usage":${JSON.stringify(expected)}`);
  });
});
