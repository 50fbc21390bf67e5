import { describe, expect, it } from "vitest";
import { convertOpenAIRequestToAnthropic } from "./convert-openai-request-to-anthropic.js";
import { TranslationError } from "./errors.js";
import type { OpenAIChatRequest } from "./types/openai.js";

const base: OpenAIChatRequest = { model: "claude-x", messages: [{ role: "user", content: "Hi" }] };
const convert = (extra: Partial<OpenAIChatRequest>, options = {}) =>
  convertOpenAIRequestToAnthropic({ ...base, ...extra }, options);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (TranslationError.isInstance(error)) return `${error.code}:${error.param}`;
    throw error;
  }
  return "no error";
}

describe("convertOpenAIRequestToAnthropic: parameters", () => {
  it("refuses a request of system messages only (Anthropic needs one message) as a 400", () => {
    expect(() =>
      convertOpenAIRequestToAnthropic({
        model: "claude-x",
        messages: [{ role: "system", content: "Be brief." }],
      }),
    ).toThrow(expect.objectContaining({ status: 400, param: "messages" }));
  });

  it("maps the common sampling parameters", () => {
    expect(
      convert({
        max_tokens: 100,
        temperature: 0.5,
        top_p: 0.9,
        stop: "END",
        user: "u-1",
        stream: true,
        top_k: 40,
      }),
    ).toEqual({
      model: "claude-x",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi" }],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ["END"],
      metadata: { user_id: "u-1" },
      stream: true,
    });
  });

  it("refuses whitespace-only stop sequences, or drops them in drop mode", () => {
    expect(() => convert({ stop: ["\n", "END"] })).toThrow(
      expect.objectContaining({ code: "unsupported_parameter", param: "stop" }),
    );
    expect(
      convert({ stop: ["\n", "END"] }, { unsupportedParameters: "drop" }).stop_sequences,
    ).toEqual(["END"]);
    expect(convert({ stop: " " }, { unsupportedParameters: "drop" })).not.toHaveProperty(
      "stop_sequences",
    );
  });

  it("prefers max_completion_tokens and defaults max_tokens", () => {
    expect(convert({ max_tokens: 10, max_completion_tokens: 20 }).max_tokens).toBe(20);
    expect(convert({}).max_tokens).toBe(4096);
    expect(convert({}, { defaultMaxTokens: 1000 }).max_tokens).toBe(1000);
  });

  it("clamps temperature into Anthropic's 0–1 range", () => {
    expect(convert({ temperature: 1.7 }).temperature).toBe(1);
    expect(convert({ temperature: -1 }).temperature).toBe(0);
  });

  it("drops bookkeeping hints and stream_options (Anthropic always streams usage)", () => {
    const out = convert({
      stream: true,
      stream_options: { include_usage: true },
      store: true,
      metadata: { a: "b" },
      prompt_cache_key: "k",
      service_tier: "auto",
    });
    expect(out).toEqual({
      model: "claude-x",
      max_tokens: 4096,
      messages: base.messages,
      stream: true,
    });
  });

  it("rejects what Anthropic cannot express, unless told to drop it", () => {
    expect(codeOf(() => convert({ n: 2 }))).toBe("unsupported_parameter:n");
    expect(codeOf(() => convert({ modalities: ["text", "audio"] }))).toBe(
      "unsupported_parameter:modalities",
    );
    expect(codeOf(() => convert({ logprobs: true }))).toBe("unsupported_parameter:logprobs");
    expect(codeOf(() => convert({ seed: 7 }))).toBe("unsupported_parameter:seed");
    expect(codeOf(() => convert({ presence_penalty: 0.5 }))).toBe(
      "unsupported_parameter:presence_penalty",
    );
    expect(codeOf(() => convert({ messages: "nope" as never }))).toBe("invalid_request:messages");
    expect(
      convert(
        { seed: 7, presence_penalty: 0.5, logit_bias: { "1": 2 } },
        { unsupportedParameters: "drop" },
      ),
    ).not.toHaveProperty("seed");
    expect(codeOf(() => convert({ n: 2 }, { unsupportedParameters: "drop" }))).toBe(
      "unsupported_parameter:n",
    );
  });

  it("accepts neutral values of unsupported parameters", () => {
    expect(() =>
      convert({ n: 1, presence_penalty: 0, frequency_penalty: 0, logit_bias: {}, logprobs: false }),
    ).not.toThrow();
  });
});

describe("convertOpenAIRequestToAnthropic: tools", () => {
  const tools: OpenAIChatRequest["tools"] = [
    {
      type: "function",
      function: {
        name: "weather",
        description: "Get weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
    },
    { type: "function", function: { name: "noop" } },
  ];

  it("maps tool definitions", () => {
    expect(convert({ tools }).tools).toEqual([
      {
        name: "weather",
        description: "Get weather",
        input_schema: { type: "object", properties: { city: { type: "string" } } },
      },
      { name: "noop", input_schema: { type: "object", properties: {} } },
    ]);
  });

  it.each([
    ["auto", undefined, { type: "auto" }],
    ["none", undefined, { type: "none" }],
    ["required", undefined, { type: "any" }],
    [
      { type: "function", function: { name: "weather" } },
      undefined,
      { type: "tool", name: "weather" },
    ],
    ["required", false, { type: "any", disable_parallel_tool_use: true }],
    [undefined, false, { type: "auto", disable_parallel_tool_use: true }],
    [undefined, true, undefined],
  ] as const)("tool_choice %o with parallel_tool_calls %o", (choice, parallel, expected) => {
    const out = convert({ tools, tool_choice: choice as never, parallel_tool_calls: parallel });
    expect(out.tool_choice).toEqual(expected);
  });

  it("omits tool_choice without tools and rejects non-function tools", () => {
    expect(convert({ tool_choice: "required" })).not.toHaveProperty("tool_choice");
    expect(
      codeOf(() => convert({ tools: [{ type: "custom", custom: { name: "x" } } as never] })),
    ).toBe("unsupported_parameter:tools[0]");
  });

  it("maps deprecated functions and function_call", () => {
    const out = convert({
      functions: [{ name: "f", parameters: { type: "object" } }],
      function_call: { name: "f" },
    });
    expect(out.tools).toEqual([{ name: "f", input_schema: { type: "object" } }]);
    expect(out.tool_choice).toEqual({ type: "tool", name: "f" });
  });
});

describe("convertOpenAIRequestToAnthropic: reasoning and response_format", () => {
  it("maps reasoning_effort to a thinking budget and raises max_tokens to fit it", () => {
    expect(convert({ reasoning_effort: "low" })).toMatchObject({
      max_tokens: 4096 + 2048,
      thinking: { type: "enabled", budget_tokens: 2048 },
    });
    expect(convert({ reasoning_effort: "high", max_completion_tokens: 10000 })).toMatchObject({
      max_tokens: 10000,
      thinking: { type: "enabled", budget_tokens: 9999 },
    });
    expect(convert({ reasoning_effort: "none" })).not.toHaveProperty("thinking");
    expect(codeOf(() => convert({ reasoning_effort: "medium", max_tokens: 500 }))).toBe(
      "unsupported_parameter:max_completion_tokens",
    );
    expect(codeOf(() => convert({ reasoning_effort: "turbo" }))).toBe(
      "unsupported_parameter:reasoning_effort",
    );
  });

  it("drops thinking for a tool_choice that forces a tool (Anthropic refuses both), or throws", () => {
    const tools = [{ type: "function" as const, function: { name: "f" } }];
    const named = { type: "function" as const, function: { name: "f" } };
    for (const tool_choice of ["required", named] as const) {
      const forced = { tools, tool_choice, reasoning_effort: "high" as const };
      expect(codeOf(() => convert(forced))).toBe("unsupported_parameter:reasoning_effort");
      const out = convert(forced, { unsupportedParameters: "drop" });
      expect(out).not.toHaveProperty("thinking");
      expect(out.max_tokens).toBe(4096);
      expect(out.tool_choice?.type).toBe(tool_choice === "required" ? "any" : "tool");
      // Without thinking, a small max_tokens is no longer too small for it.
      const small = convert({ ...forced, max_tokens: 500 }, { unsupportedParameters: "drop" });
      expect(small).toMatchObject({ max_tokens: 500, tool_choice: out.tool_choice });
    }
    // auto and none leave the model free: thinking stays.
    for (const tool_choice of ["auto", "none"] as const)
      expect(convert({ tools, tool_choice, reasoning_effort: "high" })).toHaveProperty("thinking");
  });

  const schemaFormat = {
    type: "json_schema",
    json_schema: {
      name: "person",
      schema: { type: "object", properties: { name: { type: "string" } } },
    },
  } as const;

  it("expresses json_schema as a system instruction by default", () => {
    const out = convert({
      messages: [{ role: "system", content: "Be brief." }, ...base.messages],
      response_format: schemaFormat,
    });
    expect(out.system).toBe(
      'Be brief.\n\nRespond only with a JSON value named "person" that conforms to this JSON Schema, with no other text:\n{"type":"object","properties":{"name":{"type":"string"}}}',
    );
    expect(convert({ response_format: { type: "json_object" } }).system).toBe(
      "Respond only with a single valid JSON object, with no other text.",
    );
    expect(convert({ response_format: { type: "text" } })).not.toHaveProperty("system");
  });

  it("appends the instruction as a block when system is made of blocks", () => {
    const out = convert({
      messages: [
        { role: "system", content: "a" },
        { role: "developer", content: "b" },
        ...base.messages,
      ],
      response_format: { type: "json_object" },
    });
    expect(out.system).toHaveLength(3);
  });

  it("uses native structured outputs with responseFormat: output-config", () => {
    const out = convert({ response_format: schemaFormat }, { responseFormat: "output-config" });
    expect(out.output_config).toEqual({
      format: { type: "json_schema", schema: schemaFormat.json_schema.schema },
    });
    expect(out).not.toHaveProperty("system");
  });
});
