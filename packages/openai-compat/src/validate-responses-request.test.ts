import { describe, expect, it } from "vitest";
import { TranslationError } from "./errors.js";
import { validateResponsesRequest } from "./validate-responses-request.js";

function refusal(body: unknown): TranslationError {
  try {
    validateResponsesRequest(body);
  } catch (error) {
    if (TranslationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("validateResponsesRequest", () => {
  it("accepts the requests Codex and the SDKs send", () => {
    expect(() =>
      validateResponsesRequest({
        model: "gpt-5",
        instructions: "x",
        input: [
          { role: "user", content: "hi" },
          { type: "message", role: "developer", content: [{ type: "input_text", text: "d" }] },
          { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
          { type: "function_call_output", call_id: "c", output: "ok" },
          { type: "reasoning", summary: [], encrypted_content: "e" },
          { type: "web_search_call", id: "ws" },
        ],
        tools: [{ type: "function", name: "f", parameters: {} }, { type: "web_search" }],
        tool_choice: "auto",
        stream: true,
        store: false,
        max_output_tokens: 100,
      }),
    ).not.toThrow();
  });

  it("accepts null for every optional field, as the API does", () => {
    const nulls = Object.fromEntries(
      [
        "instructions",
        "max_output_tokens",
        "temperature",
        "top_p",
        "stream",
        "store",
        "parallel_tool_calls",
        "background",
        "metadata",
        "reasoning",
        "text",
        "include",
        "previous_response_id",
        "tools",
        "tool_choice",
      ].map((key) => [key, null]),
    );
    expect(() => validateResponsesRequest({ model: "m", input: "hi", ...nulls })).not.toThrow();
  });

  it.each([
    [{ input: "x" }, "model"],
    [{ model: "m", input: 3 }, "input"],
    [{ model: "m", input: [{ role: "robot", content: "x" }] }, "input[0].role"],
    [
      { model: "m", input: [{ role: "user", content: [{ type: "input_text" }] }] },
      "input[0].content[0].text",
    ],
    [{ model: "m", input: [{ type: "function_call_output", output: "x" }] }, "input[0].call_id"],
    [{ model: "m", max_output_tokens: 0 }, "max_output_tokens"],
    [{ model: "m", max_output_tokens: 15 }, "max_output_tokens"],
    [{ model: "m", temperature: 3 }, "temperature"],
    [{ model: "m", stream: "yes" }, "stream"],
    [{ model: "m", instructions: 3 }, "instructions"],
    [{ model: "m", max_output_tokens: 1.5 }, "max_output_tokens"],
    [{ model: "m", max_output_tokens: 1e308 }, "max_output_tokens"],
    [{ model: "m", top_p: 2 }, "top_p"],
    [{ model: "m", store: "no" }, "store"],
    [{ model: "m", parallel_tool_calls: 1 }, "parallel_tool_calls"],
    [{ model: "m", background: "later" }, "background"],
    [{ model: "m", metadata: "m" }, "metadata"],
    [{ model: "m", reasoning: "high" }, "reasoning"],
    [{ model: "m", text: 5 }, "text"],
    [{ model: "m", include: "reasoning.encrypted_content" }, "include"],
    [{ model: "m", previous_response_id: 7 }, "previous_response_id"],
    [{ model: "m", tools: [{ type: "function" }] }, "tools[0].name"],
    [{ model: "m", tool_choice: "sometimes" }, "tool_choice"],
  ])("refuses %j naming %s", (body, param) => {
    const error = refusal(body);
    expect(error.param).toBe(param);
    expect(error.status).toBe(400);
    expect(error.message.startsWith(`${param}:`)).toBe(true);
  });
});
