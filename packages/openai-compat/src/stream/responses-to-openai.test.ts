import { describe, expect, it } from "vitest";
import { readFixtureMessages } from "../__fixtures__/read-fixture.js";
import { convertOpenAIRequestToResponses } from "../convert-openai-request-to-responses.js";
import { convertOpenAIResponseToResponses } from "../convert-openai-response-to-responses.js";
import { convertResponsesResponseToOpenAI } from "../convert-responses-response-to-openai.js";
import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { OpenAIChatCompletionChunk, OpenAIErrorBody } from "../types/openai.js";
import type { ResponsesResponse, ResponsesStreamEvent } from "../types/responses.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import { createResponsesToAnthropicStreamTranslator } from "./responses-to-anthropic.js";
import { createResponsesToOpenAIStreamTranslator } from "./responses-to-openai.js";
import { parseResponsesStreamData, serializeResponsesStreamEvent } from "./serialize-responses.js";

const events = (name: string) =>
  readFixtureMessages(`responses-${name}`).map((m) => {
    expect(m.event).toBe(JSON.parse(m.data).type);
    return parseResponsesStreamData(m.data);
  });

function toChat(name: string): OpenAIStreamItem[] {
  const t = createResponsesToOpenAIStreamTranslator({ includeUsage: true });
  const out: OpenAIStreamItem[] = [];
  for (const e of events(name)) out.push(...t.push(e));
  out.push(...t.finish());
  return out;
}

const chunks = (items: OpenAIStreamItem[]) =>
  items.filter((i): i is OpenAIChatCompletionChunk => typeof i === "object" && "choices" in i);

describe("createResponsesToOpenAIStreamTranslator", () => {
  it("turns a Responses stream into Chat Completions chunks, usage and [DONE]", () => {
    const out = toChat("tool-call");
    const all = chunks(out);
    expect(all[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    const text = all.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Let me check the weather in Paris — un instant.");
    const reasoning = all.map((c) => c.choices[0]?.delta.reasoning_content ?? "").join("");
    expect(reasoning).toBe(
      "**Checking weather**\n\nThe user wants Paris weather; I'll call the tool.",
    );
    const calls = all.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      id: "call_Wx8kQ2mZ0aP9",
      function: { name: "get_weather" },
    });
    expect(calls.map((c) => c.function?.arguments ?? "").join("")).toBe(
      '{"location":"Paris, France"}',
    );
    expect(all.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe(
      "tool_calls",
    );
    expect(all.at(-1)?.usage).toMatchObject({
      prompt_tokens: 312,
      completion_tokens: 96,
      prompt_tokens_details: { cached_tokens: 128 },
    });
    expect(out.at(-1)).toBe("[DONE]");
  });

  it("turns response.failed into an error object, keeping its code", () => {
    const out = toChat("failed");
    const error = out.at(-1) as OpenAIErrorBody;
    expect(error.error).toMatchObject({ code: "rate_limit_exceeded", type: "rate_limit_error" });
    expect(out).not.toContain("[DONE]");
  });

  it("reports an error when the upstream stops before a terminal event", () => {
    const t = createResponsesToOpenAIStreamTranslator();
    const head = events("tool-call").slice(0, 6);
    for (const e of head) t.push(e);
    const tail = t.finish();
    expect((tail[0] as OpenAIErrorBody).error.message).toMatch(/ended early/);
  });

  it("finishes with length on response.incomplete", () => {
    const t = createResponsesToOpenAIStreamTranslator();
    const incomplete = {
      type: "response.incomplete",
      sequence_number: 3,
      response: {
        id: "r",
        status: "incomplete",
        incomplete_details: { reason: "max_output_tokens" },
        output: [],
        model: "m",
        created_at: 1,
      },
    } as unknown as ResponsesStreamEvent;
    const out = t.push(incomplete);
    expect(chunks(out)[1]?.choices[0]?.finish_reason).toBe("length");
  });
});

describe("createResponsesToAnthropicStreamTranslator", () => {
  it("gives Claude Code thinking, text and a tool_use block, ending in tool_use", () => {
    const t = createResponsesToAnthropicStreamTranslator();
    const out: AnthropicStreamEvent[] = [];
    for (const e of events("tool-call")) out.push(...t.push(e));
    out.push(...t.finish());
    const starts = out.flatMap((e) =>
      e.type === "content_block_start" ? [e.content_block.type] : [],
    );
    expect(starts).toEqual(["thinking", "text", "tool_use"]);
    const tool = out.find(
      (e) => e.type === "content_block_start" && e.content_block.type === "tool_use",
    );
    expect(tool).toMatchObject({ content_block: { id: "call_Wx8kQ2mZ0aP9", name: "get_weather" } });
    const stop = out.find((e) => e.type === "message_delta");
    expect(stop).toMatchObject({
      delta: { stop_reason: "tool_use" },
      usage: { output_tokens: 96, cache_read_input_tokens: 128, input_tokens: 184 },
    });
    expect(out.at(-1)?.type).toBe("message_stop");
  });
});

describe("Responses ⇄ Chat Completions, non-streaming", () => {
  it("round-trips a completion with text, reasoning and tool calls", () => {
    const completion = {
      id: "chatcmpl-1",
      object: "chat.completion" as const,
      created: 1,
      model: "m",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls" as const,
          message: {
            role: "assistant" as const,
            content: "Checking.",
            reasoning_content: "think",
            tool_calls: [
              {
                id: "call_1",
                type: "function" as const,
                function: { name: "f", arguments: '{"a":1}' },
              },
            ],
          },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    };
    const response = convertOpenAIResponseToResponses(completion, { id: "resp_1" });
    expect(response.output.map((i) => i.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(response.output_text).toBe("Checking.");
    expect(response.usage).toMatchObject({ input_tokens: 10, output_tokens: 5, total_tokens: 15 });
    const back = convertResponsesResponseToOpenAI(response);
    expect(back.choices[0]?.message).toMatchObject({
      content: "Checking.",
      reasoning_content: "think",
      tool_calls: completion.choices[0]?.message.tool_calls,
    });
    expect(back.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("makes a length-cut completion an incomplete response", () => {
    const response = convertOpenAIResponseToResponses({
      id: "c",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [
        { index: 0, finish_reason: "length", message: { role: "assistant", content: "Once" } },
      ],
    });
    expect(response).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
    });
    expect(
      convertResponsesResponseToOpenAI(response as ResponsesResponse).choices[0]?.finish_reason,
    ).toBe("length");
  });

  it("converts a Chat Completions request to a stateless Responses request", () => {
    const request = convertOpenAIRequestToResponses({
      model: "gpt-5-codex",
      max_tokens: 99,
      reasoning_effort: "high",
      messages: [
        { role: "system", content: "sys" },
        {
          role: "user",
          content: [
            { type: "text", text: "hi" },
            { type: "image_url", image_url: { url: "https://x/y.png" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_9", type: "function", function: { name: "f", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_9", content: "ok" },
      ],
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      tool_choice: { type: "function", function: { name: "f" } },
    });
    expect(request).toMatchObject({
      store: false,
      max_output_tokens: 99,
      reasoning: { effort: "high" },
      tool_choice: { type: "function", name: "f" },
      tools: [{ type: "function", name: "f", parameters: { type: "object" }, strict: false }],
    });
    expect(request.input).toEqual([
      { type: "message", role: "system", content: "sys" },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "hi" },
          { type: "input_image", image_url: "https://x/y.png", detail: "auto" },
        ],
      },
      { type: "function_call", call_id: "call_9", name: "f", arguments: "{}" },
      { type: "function_call_output", call_id: "call_9", output: "ok" },
    ]);
    expect(() =>
      convertOpenAIRequestToResponses({ model: "m", messages: [], stop: ["\n"] }),
    ).toThrow(/stop/);
  });

  it("serialises events with their type as the SSE event name", () => {
    const [first] = events("tool-call");
    expect(serializeResponsesStreamEvent(first!)).toMatch(/^event: response\.created\ndata: \{/);
  });
});
