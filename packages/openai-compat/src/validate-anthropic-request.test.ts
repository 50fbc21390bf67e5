import { describe, expect, it } from "vitest";
import { TranslationError } from "./errors.js";
import { REQUEST_LIMITS } from "./request-limits.js";
import { validateAnthropicMessagesRequest } from "./validate-anthropic-request.js";

const base = {
  model: "claude-sonnet-4-5",
  max_tokens: 64,
  messages: [{ role: "user", content: "Hi" }],
};

/** The `param` and message the validator throws for `body`. */
function refusal(body: unknown, options?: Parameters<typeof validateAnthropicMessagesRequest>[1]) {
  try {
    validateAnthropicMessagesRequest(body, options);
  } catch (error) {
    if (!TranslationError.isInstance(error)) throw error;
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_request");
    return { param: error.param, message: error.message };
  }
  return undefined;
}

describe("validateAnthropicMessagesRequest", () => {
  it("accepts a full, valid request and unknown members and block types", () => {
    const body = {
      ...base,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      temperature: 1,
      top_p: 0.5,
      top_k: 40,
      stop_sequences: ["END"],
      stream: true,
      metadata: { user_id: "user-1" },
      thinking: { type: "enabled", budget_tokens: 2048 },
      tools: [
        { name: "get_weather", input_schema: { type: "object" } },
        { type: "web_search_20250305", name: "web_search", max_uses: 3 },
      ],
      tool_choice: { type: "tool", name: "get_weather", disable_parallel_tool_use: true },
      output_config: { effort: "high" },
      context_management: { edits: [] },
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Hi" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
            { type: "search_result", source: "x", title: "t", content: [] },
          ],
        },
        { role: "system", content: [{ type: "text", text: "# Environment" }] },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hm", signature: "sig" },
            { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_1",
              content: [{ type: "text", text: "Sunny" }],
            },
          ],
        },
      ],
    };
    expect(refusal(body)).toBeUndefined();
  });

  it.each([
    ["temperature", { temperature: 99 }, "temperature: must be between 0 and 1"],
    ["stream", { stream: "yes" }, "stream: expected a boolean, got a string"],
    ["stop_sequences", { stop_sequences: 42 }, "stop_sequences: expected an array, got a number"],
    ["tool_choice", { tool_choice: 42 }, "tool_choice: expected an object, got a number"],
    [
      "tool_choice.type",
      { tool_choice: { type: "sometimes" } },
      "tool_choice.type: expected one of",
    ],
    ["tools", { tools: "x" }, "tools: expected an array, got a string"],
    ["max_tokens", { max_tokens: "64" }, "max_tokens: expected an integer, got a string"],
    ["max_tokens", { max_tokens: null }, "max_tokens: expected an integer, got null"],
    ["max_tokens", { max_tokens: 0 }, "max_tokens: must be at least 1"],
    ["top_k", { top_k: 1.5 }, "top_k: expected an integer"],
    [
      "system[0].type",
      { system: [{ type: "image", source: {} }] },
      "system[0].type: expected one of",
    ],
    ["messages", { messages: "x" }, "messages: expected an array, got a string"],
    ["messages", { messages: [] }, "messages: must not be empty"],
    // 1e400 in JSON text parses as Infinity.
    [
      "temperature",
      { temperature: Number.POSITIVE_INFINITY },
      "temperature: must be between 0 and 1",
    ],
    ["messages[0].role", { messages: [{ role: "tool", content: "x" }] }, "messages[0].role"],
    [
      "messages[0].content[0].type",
      { messages: [{ role: "system", content: [{ type: "image", source: {} }] }] },
      "expected one of",
    ],
    ["messages[0].content", { messages: [{ role: "user", content: 5 }] }, "messages[0].content"],
    [
      "messages[0].content[0].text",
      { messages: [{ role: "user", content: [{ type: "text", text: 7 }] }] },
      "expected a string, got a number",
    ],
    [
      "messages[0].content[0].content[0].type",
      {
        messages: [
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                tool_use_id: "t",
                content: [{ type: "tool_result", tool_use_id: "t" }],
              },
            ],
          },
        ],
      },
      "cannot hold a tool_result",
    ],
    [
      "thinking.budget_tokens",
      { thinking: { type: "enabled", budget_tokens: 10 } },
      "at least 1024",
    ],
    ["tools[0].input_schema", { tools: [{ name: "f" }] }, "is required"],
    [
      "messages[0].content[0].source.media_type",
      {
        messages: [
          {
            role: "user",
            content: [
              {
                type: "image",
                source: { type: "base64", media_type: "image/svg+xml", data: "AA" },
              },
            ],
          },
        ],
      },
      'expected one of "image/jpeg", "image/png", "image/gif", "image/webp"',
    ],
    ["model", { model: "" }, "model: must not be empty"],
    ["model", { model: 7 }, "model: expected a string"],
  ])("refuses %s", (param, patch, message) => {
    const found = refusal({ ...base, ...patch });
    expect(found?.param).toBe(param);
    expect(found?.message).toContain(message);
  });

  it("bounds model names and metadata.user_id as the API documents", () => {
    const long = "m".repeat(REQUEST_LIMITS.maxModelLength + 1);
    expect(refusal({ ...base, model: long })?.param).toBe("model");
    expect(refusal({ ...base, model: long })?.message.length).toBeLessThan(100);
    expect(refusal({ ...base, metadata: { user_id: "u".repeat(257) } })?.param).toBe(
      "metadata.user_id",
    );
    expect(refusal({ ...base, metadata: { user_id: null } })).toBeUndefined();
  });

  it("requires max_tokens on messages, not on count_tokens", () => {
    const { max_tokens: _omit, ...counted } = base;
    expect(refusal(counted)?.param).toBe("max_tokens");
    expect(refusal(counted, { endpoint: "count_tokens" })).toBeUndefined();
    expect(refusal({ model: "m", messages: "x" }, { endpoint: "count_tokens" })?.param).toBe(
      "messages",
    );
  });

  it("refuses a non-object body", () => {
    expect(refusal([])?.param).toBe("body");
    expect(refusal(null)?.param).toBe("body");
  });

  it("bounds depth without recursion (100 000 levels)", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 100_000; i++) schema = { type: "object", properties: { a: schema } };
    const body = { ...base, tools: [{ name: "f", input_schema: schema }] };
    expect(refusal(body)).toEqual({
      param: "body",
      message: `body: nests deeper than ${REQUEST_LIMITS.maxJsonDepth} levels`,
    });
    expect(refusal(body, { checkDepth: false })).toBeUndefined();
  });

  it("does not echo a huge unknown type", () => {
    const type = "t".repeat(1_000_000);
    const found = refusal({ ...base, messages: [{ role: "user", content: [{ type }] }] });
    expect(found?.param).toBe("messages[0].content[0].type");
    expect(found?.message.length).toBeLessThan(300);
  });
});
