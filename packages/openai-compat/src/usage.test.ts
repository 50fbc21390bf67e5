import { describe, expect, it } from "vitest";
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
