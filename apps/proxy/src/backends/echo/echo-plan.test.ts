import { describe, expect, it } from "vitest";
import { planEcho } from "./echo-plan.js";

const anthropicTools = [
  { name: "lookup", input_schema: { type: "object" } },
  { name: "other", input_schema: { type: "object" } },
];
const openaiTools = [{ type: "function", function: { name: "lookup", parameters: {} } }];

describe("planEcho", () => {
  it("echoes the last user text in either dialect", () => {
    expect(
      planEcho("openai", {
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b" },
          { role: "user", content: "c" },
        ],
      }).text,
    ).toBe("c");
    expect(
      planEcho("anthropic", {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "x" },
              { type: "text", text: "y" },
            ],
          },
        ],
      }).text,
    ).toBe("xy");
    expect(planEcho("openai", { messages: [] }).text).toBe("(no text)");
  });

  it("calls a declared tool named in the text, with the JSON after it as input", () => {
    const plan = planEcho("anthropic", {
      tools: anthropicTools,
      messages: [{ role: "user", content: 'call lookup {"q":"cats"} now' }],
    });
    expect(plan.tool).toEqual({ name: "lookup", input: { q: "cats" } });
    expect(
      planEcho("anthropic", {
        tools: anthropicTools,
        messages: [{ role: "user", content: "call nothing" }],
      }).tool,
    ).toBeUndefined();
  });

  it("follows a forcing tool_choice and respects none", () => {
    expect(
      planEcho("anthropic", {
        tools: anthropicTools,
        tool_choice: { type: "any" },
        messages: [{ role: "user", content: "hi" }],
      }).tool?.name,
    ).toBe("lookup");
    expect(
      planEcho("anthropic", {
        tools: anthropicTools,
        tool_choice: { type: "tool", name: "other" },
        messages: [{ role: "user", content: "hi" }],
      }).tool?.name,
    ).toBe("other");
    expect(
      planEcho("openai", {
        tools: openaiTools,
        tool_choice: "required",
        messages: [{ role: "user", content: "hi" }],
      }).tool?.name,
    ).toBe("lookup");
    expect(
      planEcho("openai", {
        tools: openaiTools,
        tool_choice: "none",
        messages: [{ role: "user", content: "call lookup" }],
      }).tool,
    ).toBeUndefined();
  });

  it("answers a tool result with text and never loops into another call", () => {
    const plan = planEcho("openai", {
      tools: openaiTools,
      tool_choice: "required",
      messages: [
        { role: "user", content: "call lookup" },
        { role: "assistant", content: null },
        { role: "tool", tool_call_id: "1", content: "42" },
      ],
    });
    expect(plan).toMatchObject({ text: "tool result: 42" });
    expect(plan.tool).toBeUndefined();
    const anthropic = planEcho("anthropic", {
      messages: [
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "ok" }] },
      ],
    });
    expect(anthropic.text).toBe("tool result: ok");
  });

  it("cuts at the earliest stop sequence", () => {
    expect(
      planEcho("anthropic", {
        stop_sequences: ["C", "B"],
        messages: [{ role: "user", content: "aaBbbCcc" }],
      }),
    ).toMatchObject({ text: "aa", stopSequence: "B" });
    expect(
      planEcho("openai", { stop: "b", messages: [{ role: "user", content: "abc" }] }),
    ).toMatchObject({ text: "a", stopSequence: "b" });
  });

  it("cuts a text longer than the token limit at it, in either dialect", () => {
    const long = "x".repeat(100);
    expect(
      planEcho("anthropic", { max_tokens: 3, messages: [{ role: "user", content: long }] }),
    ).toMatchObject({ text: "x".repeat(12), truncated: true, outputTokens: 3 });
    expect(
      planEcho("openai", { max_completion_tokens: 2, messages: [{ role: "user", content: long }] }),
    ).toMatchObject({ text: "xxxxxxxx", truncated: true, outputTokens: 2 });
    // Within the limit: whole.
    expect(
      planEcho("openai", { max_tokens: 25, messages: [{ role: "user", content: long }] }),
    ).toEqual({ text: long, inputTokens: expect.any(Number), outputTokens: 25 });
  });

  it("is deterministic", () => {
    const body = { messages: [{ role: "user", content: "same" }] };
    expect(planEcho("openai", body)).toEqual(planEcho("openai", body));
  });
});
