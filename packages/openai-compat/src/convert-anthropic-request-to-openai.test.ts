import { describe, expect, it } from "vitest";
import { convertAnthropicRequestToOpenAI } from "./convert-anthropic-request-to-openai.js";
import { TranslationError } from "./errors.js";
import type { AnthropicMessagesRequest } from "./types/anthropic.js";

const base: AnthropicMessagesRequest = {
  model: "gpt-x",
  max_tokens: 512,
  messages: [{ role: "user", content: "Hi" }],
};
const convert = (extra: Partial<AnthropicMessagesRequest>, options = {}) =>
  convertAnthropicRequestToOpenAI({ ...base, ...extra }, options);

describe("convertAnthropicRequestToOpenAI", () => {
  it("maps sampling parameters, stop sequences, user and streaming", () => {
    expect(
      convert({
        system: "S",
        temperature: 0.3,
        top_p: 0.8,
        top_k: 5,
        stop_sequences: ["\n\nHuman:"],
        metadata: { user_id: "u" },
        stream: true,
        service_tier: "auto",
      }),
    ).toEqual({
      model: "gpt-x",
      messages: [
        { role: "system", content: "S" },
        { role: "user", content: "Hi" },
      ],
      max_tokens: 512,
      temperature: 0.3,
      top_p: 0.8,
      stop: ["\n\nHuman:"],
      user: "u",
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("passes metadata.user_id as user only when OpenAI accepts its length", () => {
    expect(convert({ metadata: { user_id: "u".repeat(64) } }).user).toHaveLength(64);
    expect(convert({ metadata: { user_id: "u".repeat(65) } })).not.toHaveProperty("user");
  });

  it("honours maxTokensField and top_k pass-through", () => {
    const out = convert(
      { top_k: 5 },
      { maxTokensField: "max_completion_tokens", topK: "pass-through" },
    );
    expect(out.max_completion_tokens).toBe(512);
    expect(out).not.toHaveProperty("max_tokens");
    expect(out.top_k).toBe(5);
  });

  it("maps tools, tool_choice and disable_parallel_tool_use", () => {
    const out = convert({
      tools: [
        {
          name: "bash",
          description: "Run",
          input_schema: { type: "object", properties: { c: { type: "string" } } },
          cache_control: { type: "ephemeral" },
        },
      ],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
    expect(out.tools).toEqual([
      {
        type: "function",
        function: {
          name: "bash",
          description: "Run",
          parameters: { type: "object", properties: { c: { type: "string" } } },
        },
      },
    ]);
    expect(out.tool_choice).toBe("required");
    expect(out.parallel_tool_calls).toBe(false);
    const tools = [{ name: "f", input_schema: { type: "object" as const } }];
    expect(convert({ tools, tool_choice: { type: "auto" } }).tool_choice).toBe("auto");
    expect(convert({ tools, tool_choice: { type: "none" } }).tool_choice).toBe("none");
    expect(convert({ tools, tool_choice: { type: "tool", name: "f" } }).tool_choice).toEqual({
      type: "function",
      function: { name: "f" },
    });
    expect(convert({ tool_choice: { type: "any" } })).not.toHaveProperty("tool_choice");
  });

  it("rejects server tools", () => {
    try {
      convert({ tools: [{ type: "web_search_20250305", name: "web_search" } as never] });
      expect.unreachable();
    } catch (error) {
      expect(TranslationError.isInstance(error) && error.code).toBe("unsupported_parameter");
    }
  });

  it.each([
    [1024, "low"],
    [2048, "low"],
    [8192, "medium"],
    [16384, "high"],
    [60000, "high"],
  ])("maps a thinking budget of %i to reasoning_effort %s", (budget, effort) => {
    expect(convert({ thinking: { type: "enabled", budget_tokens: budget } }).reasoning_effort).toBe(
      effort,
    );
  });

  it("omits reasoning for disabled/adaptive thinking and maps output_config", () => {
    expect(convert({ thinking: { type: "disabled" } })).not.toHaveProperty("reasoning_effort");
    expect(convert({ thinking: { type: "adaptive" } })).not.toHaveProperty("reasoning_effort");
    const out = convert({
      output_config: {
        effort: "high",
        format: { type: "json_schema", schema: { type: "object" } },
      },
    });
    expect(out.reasoning_effort).toBe("high");
    expect(
      convert(
        { output_config: { effort: "low" }, thinking: { type: "enabled", budget_tokens: 2048 } },
        { reasoningEffort: "drop" },
      ),
    ).not.toHaveProperty("reasoning_effort");
    expect(out.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "response", schema: { type: "object" } },
    });
  });
});
