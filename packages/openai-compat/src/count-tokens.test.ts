import { describe, expect, it } from "vitest";
import { convertOpenAIRequestToAnthropic } from "./convert-openai-request-to-anthropic.js";
import {
  estimateInputTokens,
  estimateOpenAIInputTokens,
  estimateTextTokens,
  TOKEN_ESTIMATE,
} from "./count-tokens.js";
import type { OpenAIChatRequest } from "./types/openai.js";

describe("estimateTextTokens", () => {
  it("counts ASCII at four characters a token and other characters one each", () => {
    expect(estimateTextTokens("")).toBe(0);
    expect(estimateTextTokens("abcd")).toBe(1);
    expect(estimateTextTokens("abcde")).toBe(2);
    expect(estimateTextTokens("日本語")).toBe(3);
    expect(estimateTextTokens("😀")).toBe(1);
  });
});

describe("estimateInputTokens", () => {
  it("adds request, message and text costs", () => {
    const text = "Hello there"; // 11 chars -> 3 tokens
    expect(estimateInputTokens({ messages: [{ role: "user", content: text }] })).toEqual({
      input_tokens: TOKEN_ESTIMATE.perRequest + TOKEN_ESTIMATE.perMessage + 3,
    });
  });

  it("charges images a fixed cost, PDFs per assumed page, and tools with a preamble", () => {
    const withImage = estimateInputTokens({
      messages: [
        {
          role: "user",
          content: [
            {
              type: "image",
              source: { type: "base64", media_type: "image/png", data: "A".repeat(1_000_000) },
            },
          ],
        },
      ],
    });
    expect(withImage.input_tokens).toBe(
      TOKEN_ESTIMATE.perRequest + TOKEN_ESTIMATE.perMessage + TOKEN_ESTIMATE.perImage,
    );
    const pdf = estimateInputTokens({
      messages: [
        {
          role: "user",
          content: [
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: "A".repeat(400_000) },
            },
          ],
        },
      ],
    });
    expect(pdf.input_tokens - TOKEN_ESTIMATE.perRequest - TOKEN_ESTIMATE.perMessage).toBe(
      3 * TOKEN_ESTIMATE.perPdfPage,
    );
    const bare = estimateInputTokens({ messages: [] }).input_tokens;
    const tooled = estimateInputTokens({
      messages: [],
      tools: [{ name: "f", input_schema: { type: "object" } }],
    }).input_tokens;
    expect(tooled - bare).toBeGreaterThan(TOKEN_ESTIMATE.toolsPreamble);
  });

  it("grows with system prompt, tool calls and tool results", () => {
    const small = estimateInputTokens({ messages: [{ role: "user", content: "x" }] }).input_tokens;
    const big = estimateInputTokens({
      system: [{ type: "text", text: "a".repeat(400) }],
      messages: [
        { role: "user", content: "x" },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "t", name: "bash", input: { command: "ls -la" } }],
        },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t", content: "b".repeat(400) }],
        },
      ],
    }).input_tokens;
    expect(big - small).toBeGreaterThanOrEqual(200);
  });
});

describe("estimateOpenAIInputTokens", () => {
  it("agrees with the Anthropic estimate of the translated request within a few tokens", () => {
    const request: OpenAIChatRequest = {
      model: "m",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Describe this" },
            { type: "image_url", image_url: { url: "https://x/y.png" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c", type: "function", function: { name: "look", arguments: '{"q":"cat"}' } },
          ],
        },
        { role: "tool", tool_call_id: "c", content: "a cat on a mat" },
      ],
      tools: [
        {
          type: "function",
          function: { name: "look", description: "Look", parameters: { type: "object" } },
        },
      ],
    };
    const openai = estimateOpenAIInputTokens(request).input_tokens;
    const anthropic = estimateInputTokens(convertOpenAIRequestToAnthropic(request)).input_tokens;
    expect(Math.abs(openai - anthropic)).toBeLessThanOrEqual(TOKEN_ESTIMATE.perMessage);
    expect(openai).toBeGreaterThan(TOKEN_ESTIMATE.perImage + TOKEN_ESTIMATE.toolsPreamble);
  });
});
