import { describe, expect, it } from "vitest";
import { TranslationError } from "./errors.js";
import { REQUEST_LIMITS } from "./request-limits.js";
import { validateOpenAIChatRequest } from "./validate-openai-request.js";

const base = { model: "gpt-4.1", messages: [{ role: "user", content: "Hi" }] };

/** The `param` and message the validator throws for `body`. */
function refusal(body: unknown) {
  try {
    validateOpenAIChatRequest(body);
  } catch (error) {
    if (!TranslationError.isInstance(error)) throw error;
    expect(error.status).toBe(400);
    return { param: error.param, message: error.message };
  }
  return undefined;
}

describe("validateOpenAIChatRequest", () => {
  it("accepts a full, valid request, documented nulls and unknown members", () => {
    const body = {
      ...base,
      temperature: 2,
      top_p: null,
      n: 1,
      max_tokens: null,
      max_completion_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
      stop: ["a", "b", "c", "d"],
      presence_penalty: -2,
      user: "u-1",
      metadata: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, "v"])),
      tools: [
        { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
      ],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
      response_format: { type: "json_schema", json_schema: { name: "out", schema: {} } },
      reasoning_effort: "low",
      top_k: 20,
      repetition_penalty: 1.1,
      messages: [
        { role: "developer", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Hi" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
            { type: "video_url", video_url: { url: "x" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "Sunny" },
      ],
    };
    expect(refusal(body)).toBeUndefined();
    expect(refusal({ ...base, stop: "END", tool_choice: "required" })).toBeUndefined();
  });

  it.each([
    ["temperature", { temperature: 99 }, "temperature: must be between 0 and 2"],
    ["stream", { stream: "yes" }, "stream: expected a boolean, got a string"],
    ["stop", { stop: 42 }, "stop: expected a string or an array of strings, got a number"],
    ["stop", { stop: ["a", "b", "c", "d", "e"] }, "stop: must have at most 4 items"],
    ["tool_choice", { tool_choice: 42 }, "tool_choice: expected a string"],
    ["tool_choice", { tool_choice: "sometimes" }, "tool_choice: expected one of"],
    ["tools", { tools: "x" }, "tools: expected an array, got a string"],
    ["tools[0].function.name", { tools: [{ type: "function", function: { name: "" } }] }, "empty"],
    ["max_tokens", { max_tokens: "64" }, "max_tokens: expected an integer, got a string"],
    ["n", { n: 0 }, "n: must be at least 1"],
    ["messages", { messages: [] }, "messages: must not be empty"],
    ["messages", { messages: "x" }, "messages: expected an array"],
    ["messages[0].role", { messages: [{ role: "robot", content: "x" }] }, "expected one of"],
    ["messages[0].content", { messages: [{ role: "user" }] }, "is required"],
    ["messages[0].tool_call_id", { messages: [{ role: "tool", content: "x" }] }, "is required"],
    [
      "messages[0].content[0].image_url",
      { messages: [{ role: "user", content: [{ type: "image_url", image_url: "x" }] }] },
      "expected an object",
    ],
    ["response_format.type", { response_format: { type: "yaml" } }, "expected one of"],
    ["user", { user: "u".repeat(REQUEST_LIMITS.maxUserIdLength + 1) }, "at most 256"],
    ["safety_identifier", { safety_identifier: "s".repeat(65) }, "at most 64"],
    ["model", { model: "m".repeat(8 * 1024 * 1024) }, "model: must have at most 256 characters"],
  ])("refuses %s", (param, patch, message) => {
    const found = refusal({ ...base, ...patch });
    expect(found?.param).toBe(param);
    expect(found?.message).toContain(message);
  });

  it("bounds metadata as OpenAI documents it: 16 keys, 64-char keys, 512-char string values", () => {
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    expect(refusal({ ...base, metadata: many })?.message).toContain("at most 16 keys");
    expect(refusal({ ...base, metadata: { ["k".repeat(65)]: "v" } })?.message).toContain(
      "keys must have at most 64",
    );
    expect(refusal({ ...base, metadata: { k: "v".repeat(513) } })?.param).toBe("metadata.k");
    expect(refusal({ ...base, metadata: { k: 1 } })?.param).toBe("metadata.k");
  });

  it("bounds depth without recursion", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 10_000; i++) schema = { type: "object", properties: { a: schema } };
    const tools = [{ type: "function", function: { name: "f", parameters: schema } }];
    expect(refusal({ ...base, tools })?.message).toContain("nests deeper than");
  });
});
