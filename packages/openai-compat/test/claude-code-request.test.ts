/**
 * A request body captured from the real Claude Code CLI (see the fixture's `_comment`)
 * must translate to a valid OpenAI request and back without losing the conversation.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type AnthropicMessagesRequest,
  convertAnthropicRequestToOpenAI,
  convertOpenAIRequestToAnthropic,
  estimateInputTokens,
} from "../src/index.js";

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/claude-code-request.json", import.meta.url), "utf8"),
) as AnthropicMessagesRequest;

describe("a real Claude Code request", () => {
  it("has the shapes this package must handle", () => {
    expect(fixture.messages.map((m) => m.role)).toEqual(["user", "system"]);
    expect(fixture.thinking).toMatchObject({ type: "adaptive" });
    expect(fixture.output_config).toMatchObject({ effort: "medium" });
    expect(fixture.tools?.length).toBeGreaterThan(5);
  });

  it("translates to an OpenAI request", () => {
    const openai = convertAnthropicRequestToOpenAI(fixture);
    const system = (fixture.system as Array<{ text: string }>).map((b) => b.text);
    const late = (fixture.messages[1]!.content as Array<{ text: string }>)[0]!.text;
    expect(openai.messages[0]).toEqual({ role: "system", content: [...system, late].join("\n\n") });
    expect(openai.messages.slice(1)).toEqual([
      {
        role: "user",
        content: (fixture.messages[0]!.content as Array<{ text: string }>).map((b) => ({
          type: "text",
          text: b.text,
        })),
      },
    ]);
    expect(openai).toMatchObject({
      model: fixture.model,
      max_tokens: fixture.max_tokens,
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: "medium",
    });
    expect(openai.tools?.map((t) => t.function.name)).toEqual(fixture.tools?.map((t) => t.name));
    expect(openai.tools?.[0]?.function.parameters).toEqual(fixture.tools?.[0]?.input_schema);
    // Claude Code's user_id is a JSON object longer than the 64 characters OpenAI allows.
    expect(openai).not.toHaveProperty("user");
    for (const key of ["context_management", "output_config", "thinking", "metadata", "system"]) {
      expect(openai).not.toHaveProperty(key);
    }
  });

  it("survives the way back to Anthropic with the same conversation and tools", () => {
    const back = convertOpenAIRequestToAnthropic(convertAnthropicRequestToOpenAI(fixture));
    expect(back.tools?.map((t) => t.name)).toEqual(fixture.tools?.map((t) => t.name));
    expect(back.messages).toHaveLength(1);
    expect(back.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(back.max_tokens).toBe(fixture.max_tokens);
  });

  it("gets a plausible token estimate", () => {
    const { input_tokens } = estimateInputTokens(fixture);
    const chars = JSON.stringify([fixture.system, fixture.messages, fixture.tools]).length;
    expect(input_tokens).toBeGreaterThan(chars / 8);
    expect(input_tokens).toBeLessThan(chars / 2);
  });
});
