import { describe, expect, it } from "vitest";
import { readFixtureMessages } from "../__fixtures__/read-fixture.js";
import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import {
  createOpenAIToAnthropicStreamTranslator,
  type OpenAIToAnthropicStreamOptions,
} from "./openai-to-anthropic.js";
import { parseOpenAIStreamData } from "./serialize.js";
import { OPENAI_STREAM_DONE } from "./stream-errors.js";

function items(fixture: string): OpenAIStreamItem[] {
  return readFixtureMessages(`openai-${fixture}`).map((m) => parseOpenAIStreamData(m.data));
}

function translate(
  fixture: string | OpenAIStreamItem[],
  options: OpenAIToAnthropicStreamOptions = {},
) {
  const translator = createOpenAIToAnthropicStreamTranslator(options);
  const out: AnthropicStreamEvent[] = [];
  for (const item of typeof fixture === "string" ? items(fixture) : fixture) {
    out.push(...translator.push(item));
  }
  out.push(...translator.finish());
  return out;
}

/** Checks Anthropic block discipline and returns each block with its accumulated content. */
function blocks(events: AnthropicStreamEvent[]) {
  const result: Array<{ type: string; text: string; id?: unknown; name?: unknown }> = [];
  let open: number | null = null;
  for (const event of events) {
    if (event.type === "content_block_start") {
      expect(open).toBeNull();
      expect(event.index).toBe(result.length);
      open = event.index;
      const b = event.content_block;
      result.push({ type: b.type, text: "", id: b.id, name: b.name });
    } else if (event.type === "content_block_delta") {
      expect(event.index).toBe(open);
      const d = event.delta;
      const piece =
        d.type === "text_delta"
          ? d.text
          : d.type === "thinking_delta"
            ? d.thinking
            : d.type === "input_json_delta"
              ? d.partial_json
              : "";
      result[event.index]!.text += piece;
    } else if (event.type === "content_block_stop") {
      expect(event.index).toBe(open);
      open = null;
    }
  }
  expect(open).toBeNull();
  return result;
}

describe("createOpenAIToAnthropicStreamTranslator", () => {
  it("opens with message_start and closes with message_delta + message_stop", () => {
    const out = translate("text");
    expect(out[0]).toEqual({
      type: "message_start",
      message: {
        id: "chatcmpl-CeH1vXb7Ya2rK0qzT3mLw8Pn4sDfG",
        type: "message",
        role: "assistant",
        model: "gpt-4o-mini-2024-07-18",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
    expect(blocks(out)).toEqual([
      {
        type: "text",
        text: "Bonjour 👋! In Tokyo it is sunny: 東京の天気は晴れです。 Have a great day — and enjoy the café ☕.",
        id: undefined,
        name: undefined,
      },
    ]);
    expect(out.slice(-2)).toEqual([
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 0 },
      },
      { type: "message_stop" },
    ]);
  });

  it("gives each parallel tool call its own block with increasing indices", () => {
    const out = translate("parallel-tool-calls");
    expect(blocks(out).map((b) => [b.type, b.id, b.name, JSON.parse(b.text)])).toEqual([
      [
        "tool_use",
        "call_l9Tq3Vx8Yz1Ab2Cd3Ef4Gh5I",
        "get_weather",
        { location: "Zürich, CH", unit: "celsius" },
      ],
      [
        "tool_use",
        "call_m0Ur4Wy9Za2Bc3De4Fg5Hi6J",
        "get_weather",
        { location: "東京, JP", unit: "celsius" },
      ],
      ["tool_use", "call_n1Vs5Xz0Ab3Cd4Ef5Gh6Ij7K", "get_time", { timezone: "Asia/Tokyo" }],
    ]);
    expect(out.at(-2)).toMatchObject({ delta: { stop_reason: "tool_use" } });
  });

  it("streams sequential tool call arguments live, not at the end", () => {
    const translator = createOpenAIToAnthropicStreamTranslator();
    const all = items("tool-call");
    const first = [...translator.push(all[0]!), ...translator.push(all[1]!)];
    expect(first.map((e) => e.type)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
    ]);
  });

  it("reassembles tool call fragments that interleave by index", () => {
    const out = translate("interleaved-tool-calls");
    expect(
      blocks(out).map((b) => [b.type, b.name, b.type === "text" ? b.text : JSON.parse(b.text)]),
    ).toEqual([
      ["text", undefined, "Checking both."],
      ["tool_use", "get_weather", { location: "Paris, FR" }],
      ["tool_use", "get_time", { timezone: "Europe/Paris" }],
    ]);
    expect(out.at(-2)).toMatchObject({ usage: { input_tokens: 301, output_tokens: 42 } });
  });

  it("turns reasoning_content into a thinking block before the text block", () => {
    const out = translate("reasoning");
    const [thinking, text] = blocks(out);
    expect(thinking).toMatchObject({
      type: "thinking",
      text: "The user asks for 27 × 453. 27 × 400 = 10800, 27 × 53 = 1431. Total 12231.",
    });
    expect(text).toMatchObject({ type: "text", text: "27 × 453 = **12,231**" });
    expect(out.at(-2)).toMatchObject({
      usage: {
        input_tokens: 18,
        output_tokens: 96,
        output_tokens_details: { thinking_tokens: 78 },
      },
    });
  });

  it("accepts `reasoning` as well as `reasoning_content`", () => {
    const chunk = { id: "x", object: "chat.completion.chunk" as const, created: 1, model: "m" };
    const out = translate([
      { ...chunk, choices: [{ index: 0, delta: { reasoning: "hmm" }, finish_reason: null }] },
      { ...chunk, choices: [{ index: 0, delta: { content: "ok" }, finish_reason: "stop" }] },
      OPENAI_STREAM_DONE,
    ]);
    expect(blocks(out).map((b) => [b.type, b.text])).toEqual([
      ["thinking", "hmm"],
      ["text", "ok"],
    ]);
  });

  it("reports the stop string vLLM names on the finishing chunk as stop_sequence", () => {
    const chunk = { id: "x", object: "chat.completion.chunk" as const, created: 1, model: "m" };
    const out = translate([
      { ...chunk, choices: [{ index: 0, delta: { content: "one" }, finish_reason: null }] },
      {
        ...chunk,
        choices: [{ index: 0, delta: {}, finish_reason: "stop", stop_reason: "END" }],
      },
      OPENAI_STREAM_DONE,
    ]);
    expect(out.at(-2)).toMatchObject({
      type: "message_delta",
      delta: { stop_reason: "stop_sequence", stop_sequence: "END" },
    });
  });

  it("ends a streamed refusal with stop_reason refusal, as the unstreamed conversion does", () => {
    const chunk = { id: "x", object: "chat.completion.chunk" as const, created: 1, model: "m" };
    const out = translate([
      { ...chunk, choices: [{ index: 0, delta: { refusal: "I can't" }, finish_reason: null }] },
      { ...chunk, choices: [{ index: 0, delta: { refusal: " help." }, finish_reason: "stop" }] },
      OPENAI_STREAM_DONE,
    ]);
    expect(blocks(out).map((b) => [b.type, b.text])).toEqual([["text", "I can't help."]]);
    expect(out.at(-2)).toMatchObject({
      type: "message_delta",
      delta: { stop_reason: "refusal" },
    });
  });

  it("waits for [DONE] so a usage chunk after the finish chunk is reported", () => {
    const out = translate("usage");
    const delta = out.at(-2);
    expect(delta).toEqual({
      type: "message_delta",
      delta: { stop_reason: "max_tokens", stop_sequence: null },
      usage: {
        input_tokens: 2060 - 1792,
        output_tokens: 16,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 1792,
        output_tokens_details: { thinking_tokens: 0 },
      },
    });
    // The finish chunk closes the block at once; message_delta comes only after the usage chunk.
    const types = out.map((e) => e.type);
    expect(types.indexOf("content_block_stop")).toBeLessThan(types.indexOf("message_delta"));
  });

  it("uses options.inputTokens, model and id in message_start", () => {
    const out = translate("text", { inputTokens: 99, model: "gpt-x", id: "msg_1" });
    expect(out[0]).toMatchObject({
      message: { id: "msg_1", model: "gpt-x", usage: { input_tokens: 99 } },
    });
  });

  it("turns an in-stream OpenAI error into an Anthropic error event and stops", () => {
    const out = translate("error");
    expect(out.at(-1)).toEqual({
      type: "error",
      error: {
        type: "api_error",
        message: "The server had an error while processing your request. Sorry about that!",
      },
    });
    expect(out.some((e) => e.type === "message_delta" || e.type === "message_stop")).toBe(false);
  });

  it("reports a body that ends without finish_reason as an error, never a success", () => {
    const out = translate("truncated");
    expect(out.at(-1)).toEqual({
      type: "error",
      error: { type: "api_error", message: "upstream stream ended early" },
    });
    expect(out.some((e) => e.type === "message_stop")).toBe(false);
  });

  it("completes when the body ends after finish_reason but before [DONE]", () => {
    const out = translate(items("text").slice(0, -1));
    expect(out.at(-1)).toEqual({ type: "message_stop" });
  });

  it("error(err) maps OpenAI rate limits and masks unknown errors", () => {
    const rate = createOpenAIToAnthropicStreamTranslator().error({
      error: {
        message: "Rate limit reached",
        type: "requests",
        param: null,
        code: "rate_limit_exceeded",
      },
    });
    expect(rate).toEqual([
      { type: "error", error: { type: "rate_limit_error", message: "Rate limit reached" } },
    ]);
    const masked = createOpenAIToAnthropicStreamTranslator().error(new Error("Bearer sk-secret"));
    expect(masked).toEqual([
      { type: "error", error: { type: "api_error", message: "upstream stream failed" } },
    ]);
  });

  it("generates a tool id when the upstream sends none", () => {
    const chunk = { id: "x", object: "chat.completion.chunk" as const, created: 1, model: "m" };
    const out = translate(
      [
        {
          ...chunk,
          choices: [
            {
              index: 0,
              delta: { tool_calls: [{ index: 0, function: { name: "f", arguments: "{}" } }] },
              finish_reason: "tool_calls",
            },
          ],
        },
        OPENAI_STREAM_DONE,
      ],
      { generateToolId: () => "toolu_generated" },
    );
    expect(blocks(out)).toEqual([
      { type: "tool_use", id: "toolu_generated", name: "f", text: "{}" },
    ]);
  });

  it("reads only choice 0, and takes usage from a chunk with no choices key at all", () => {
    const chunk = { id: "x", object: "chat.completion.chunk" as const, created: 1, model: "m" };
    const out = translate([
      {
        ...chunk,
        choices: [
          { index: 1, delta: { content: "other" }, finish_reason: null },
          { index: 0, delta: { content: "mine" }, finish_reason: "stop" },
        ],
      },
      { ...chunk, usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } } as never,
      OPENAI_STREAM_DONE,
    ]);
    expect(blocks(out).map((b) => b.text)).toEqual(["mine"]);
    expect(out.at(-2)).toMatchObject({ usage: { input_tokens: 5, output_tokens: 2 } });
  });

  it("places tool calls without `index` (Gemini) by id, and ends a tool turn with tool_use", () => {
    const out = translate("gemini-tool-calls");
    expect(out[0]).toMatchObject({
      type: "message_start",
      message: { id: expect.stringMatching(/^msg_/) },
    });
    expect(blocks(out).map((b) => [b.type, b.id, b.text])).toEqual([
      ["text", undefined, "Let me check both cities."],
      ["tool_use", "function-call-5123417982343423211", '{"location":"Zürich, CH"}'],
      ["tool_use", "function-call-5123417982343423212", '{"location":"東京, JP"}'],
    ]);
    expect(out.at(-2)).toMatchObject({
      delta: { stop_reason: "tool_use" },
      usage: { input_tokens: 96, output_tokens: 41 },
    });
  });
});
