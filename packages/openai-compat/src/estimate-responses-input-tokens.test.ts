import { describe, expect, it } from "vitest";
import { convertResponsesRequestToAnthropic } from "./convert-responses-request-to-anthropic.js";
import { estimateInputTokens, estimateTextTokens, TOKEN_ESTIMATE } from "./count-tokens.js";
import { TranslationError } from "./errors.js";
import { estimateResponsesInputTokens } from "./estimate-responses-input-tokens.js";
import type { ResponsesRequest } from "./types/responses.js";

const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } } },
};

describe("estimateResponsesInputTokens", () => {
  it("answers in the shape of POST /v1/responses/input_tokens", () => {
    expect(estimateResponsesInputTokens({ model: "m", input: "Hello there" })).toEqual({
      object: "response.input_tokens",
      input_tokens: TOKEN_ESTIMATE.perRequest + TOKEN_ESTIMATE.perMessage + 3,
    });
  });

  it("counts instructions, images, function calls, their outputs and tools", () => {
    const bare = estimateResponsesInputTokens({ model: "m", input: "hi" }).input_tokens;
    const request: ResponsesRequest = {
      model: "m",
      instructions: "Be brief and kind to everyone.",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "hi" },
            { type: "input_image", image_url: "data:image/png;base64,AAAA" },
          ],
        },
        {
          type: "function_call",
          call_id: "c1",
          name: "get_weather",
          arguments: '{"city":"Paris"}',
        },
        { type: "function_call_output", call_id: "c1", output: "sunny and warm all day long" },
      ],
      tools: [weather],
    };
    const full = estimateResponsesInputTokens(request).input_tokens;
    const parts =
      estimateTextTokens("Be brief and kind to everyone.") +
      TOKEN_ESTIMATE.perImage +
      estimateTextTokens("get_weather") +
      estimateTextTokens('{"city":"Paris"}') +
      estimateTextTokens("sunny and warm all day long") +
      TOKEN_ESTIMATE.toolsPreamble +
      TOKEN_ESTIMATE.perTool;
    expect(full).toBeGreaterThan(bare + parts);
  });

  it("is within a few tokens of the Anthropic estimate of the same request", () => {
    const request: ResponsesRequest = {
      model: "m",
      instructions: "You are terse.",
      input: [
        { role: "user", content: "What is the weather in Paris today, and tomorrow?" },
        { role: "assistant", content: [{ type: "output_text", text: "Let me look that up." }] },
      ],
      tools: [weather],
    };
    const anthropic = convertResponsesRequestToAnthropic(request).request;
    const a = estimateInputTokens(anthropic).input_tokens;
    const r = estimateResponsesInputTokens(request).input_tokens;
    expect(Math.abs(a - r)).toBeLessThanOrEqual(TOKEN_ESTIMATE.perMessage * 2);
  });

  it("refuses what needs server-side state, with a TranslationError naming the field", () => {
    const error = (() => {
      try {
        estimateResponsesInputTokens({ model: "m", input: "hi", previous_response_id: "resp_1" });
      } catch (e) {
        return e;
      }
    })();
    expect(TranslationError.isInstance(error)).toBe(true);
    expect((error as TranslationError).param).toBe("previous_response_id");
  });
});
