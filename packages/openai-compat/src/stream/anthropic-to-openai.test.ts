import { describe, expect, it } from "vitest";
import { readFixtureMessages } from "../__fixtures__/read-fixture.js";
import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { OpenAIChatCompletionChunk } from "../types/openai.js";
import {
  type AnthropicToOpenAIStreamOptions,
  createAnthropicToOpenAIStreamTranslator,
  type OpenAIStreamItem,
} from "./anthropic-to-openai.js";
import { OPENAI_STREAM_DONE } from "./stream-errors.js";

function events(fixture: string): AnthropicStreamEvent[] {
  return readFixtureMessages(`anthropic-${fixture}`).map(
    (m) => JSON.parse(m.data) as AnthropicStreamEvent,
  );
}

function translate(fixture: string, options: AnthropicToOpenAIStreamOptions = {}) {
  const translator = createAnthropicToOpenAIStreamTranslator({
    now: () => 1_763_748_000_500,
    ...options,
  });
  const out: OpenAIStreamItem[] = [];
  for (const event of events(fixture)) out.push(...translator.push(event));
  out.push(...translator.finish());
  return out;
}

const chunks = (items: OpenAIStreamItem[]) =>
  items.filter((i): i is OpenAIChatCompletionChunk => i !== OPENAI_STREAM_DONE && "choices" in i);

describe("createAnthropicToOpenAIStreamTranslator", () => {
  it("emits the role chunk first, then text as content, finish, [DONE]", () => {
    const out = translate("text");
    const first = chunks(out)[0]!;
    expect(first).toEqual({
      id: "msg_01XFDUDYJgAACzvnptvVoYEL",
      object: "chat.completion.chunk",
      created: 1_763_748_000,
      model: "claude-sonnet-4-5-20250929",
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
    });
    const text = chunks(out)
      .map((c) => c.choices[0]?.delta.content ?? "")
      .join("");
    expect(text).toBe(
      "Bonjour 👋! In Tokyo it is sunny: 東京の天気は晴れです。 Have a great day — and enjoy the café ☕.",
    );
    expect(out.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: "stop" }] });
    expect(out.at(-1)).toBe(OPENAI_STREAM_DONE);
    // includeUsage is off: no usage chunk.
    expect(chunks(out).some((c) => c.choices.length === 0)).toBe(false);
  });

  it("numbers tool calls 0, 1, 2 regardless of Anthropic block indices", () => {
    const out = chunks(translate("parallel-tool-calls"));
    const calls = new Map<number, { id?: string; name?: string; args: string }>();
    for (const c of out) {
      for (const tc of c.choices[0]?.delta.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { args: "" };
        if (tc.id) {
          expect(call.id).toBeUndefined();
          expect(tc.type).toBe("function");
          call.id = tc.id;
          call.name = tc.function?.name;
        }
        call.args += tc.function?.arguments ?? "";
        calls.set(tc.index, call);
      }
    }
    expect([...calls.keys()]).toEqual([0, 1, 2]);
    expect([...calls.values()].map((c) => [c.id, c.name, JSON.parse(c.args)])).toEqual([
      ["toolu_01A09q90qw90lq917835lq9", "get_weather", { location: "Zürich, CH", unit: "celsius" }],
      ["toolu_01B4nK2r1cJ7Xy8zV5mQ3pLs", "get_weather", { location: "東京, JP", unit: "celsius" }],
      ["toolu_01C7hT5wE2gR9uY1iO3pA6sD", "get_time", { timezone: "Asia/Tokyo" }],
    ]);
    expect(out.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it('gives a tool call with no parameters "{}", as the non-streamed conversion does', () => {
    const start = events("tool-call")[0]!;
    const toolUse = (index: number, id: string): AnthropicStreamEvent[] => [
      {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id, name: "list_files", input: {} },
      },
      { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "" } },
    ];
    const stop = (index: number): AnthropicStreamEvent => ({ type: "content_block_stop", index });
    const translator = createAnthropicToOpenAIStreamTranslator();
    const out: OpenAIStreamItem[] = [];
    // The second call is still open at message_delta (a stream cut short of its block stop).
    for (const event of [
      start,
      ...toolUse(0, "toolu_1"),
      stop(0),
      ...toolUse(1, "toolu_2"),
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: 12 },
      },
      { type: "message_stop" },
    ] as AnthropicStreamEvent[])
      out.push(...translator.push(event));
    const args = ["", ""];
    for (const c of chunks(out))
      for (const tc of c.choices[0]?.delta.tool_calls ?? [])
        args[tc.index] += tc.function?.arguments ?? "";
    expect(args).toEqual(["{}", "{}"]);
    // Each "{}" comes before the finish chunk.
    const finish = chunks(out).findIndex((c) => c.choices[0]?.finish_reason === "tool_calls");
    expect(
      chunks(out)
        .slice(finish)
        .some((c) => c.choices[0]?.delta.tool_calls),
    ).toBe(false);
    // A call whose arguments did stream is left as it was.
    const fixture = chunks(translate("tool-call"));
    expect(
      fixture.filter((c) => c.choices[0]?.delta.tool_calls?.[0]?.function?.arguments === "{}"),
    ).toEqual([]);
  });

  it("sends thinking as reasoning_content and drops the signature", () => {
    const out = chunks(translate("thinking"));
    const reasoning = out.map((c) => c.choices[0]?.delta.reasoning_content ?? "").join("");
    expect(reasoning).toContain("Let me solve this step by step");
    expect(reasoning).toContain("Sum: 12,231");
    expect(JSON.stringify(out)).not.toContain("EqQBCgIYAhIM");
    expect(out.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(
      "27 × 453 = **12,231**",
    );
  });

  it("adds a usage chunk combining message_start and message_delta when includeUsage", () => {
    const out = translate("usage", { includeUsage: true });
    expect(out.at(-1)).toBe(OPENAI_STREAM_DONE);
    expect(out.at(-3)).toMatchObject({ choices: [{ finish_reason: "length" }] });
    expect(out.at(-2)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 12 + 248 + 1800,
        completion_tokens: 16,
        total_tokens: 2076,
        prompt_tokens_details: { cached_tokens: 1800 },
      },
    });
  });

  it("takes input tokens from message_start when message_delta has only output_tokens", () => {
    const out = translate("tool-call", { includeUsage: true });
    expect(out.at(-2)).toMatchObject({ usage: { prompt_tokens: 472, completion_tokens: 89 } });
  });

  it("turns a mid-stream error event into an OpenAI error object, with no finish or [DONE]", () => {
    const out = translate("error");
    expect(out.at(-1)).toEqual({
      error: { message: "Overloaded", type: "server_error", param: null, code: "overloaded" },
    });
    expect(out).not.toContain(OPENAI_STREAM_DONE);
    expect(chunks(out).every((c) => c.choices[0]?.finish_reason === null)).toBe(true);
  });

  it("reports an early end of input as an error, never as a finish", () => {
    const translator = createAnthropicToOpenAIStreamTranslator();
    const all = events("text");
    for (const event of all.slice(0, 5)) translator.push(event);
    expect(translator.finish()).toEqual([
      {
        error: {
          message: "upstream stream ended early",
          type: "server_error",
          param: null,
          code: null,
        },
      },
    ]);
    expect(translator.done).toBe(true);
    expect(translator.push(all.at(-1)!)).toEqual([]);
  });

  it("completes when input ends after message_delta without message_stop", () => {
    const translator = createAnthropicToOpenAIStreamTranslator();
    for (const event of events("text").slice(0, -1)) translator.push(event);
    expect(translator.finish()).toEqual([OPENAI_STREAM_DONE]);
  });

  it("applies the model, id and created options and ignores pings", () => {
    const out = translate("text", { model: "claude", id: "chatcmpl-1", created: 42 });
    for (const c of chunks(out))
      expect([c.id, c.model, c.created]).toEqual(["chatcmpl-1", "claude", 42]);
    const translator = createAnthropicToOpenAIStreamTranslator();
    expect(translator.push({ type: "ping" })).toEqual([]);
  });

  it("error(err) masks unknown errors and keeps protocol errors", () => {
    const masked = createAnthropicToOpenAIStreamTranslator().error(
      new Error("key sk-secret leaked"),
    );
    expect(JSON.stringify(masked)).not.toContain("sk-secret");
    expect(masked).toMatchObject([
      { error: { message: "upstream stream failed", type: "server_error" } },
    ]);
    const kept = createAnthropicToOpenAIStreamTranslator().error({
      type: "error",
      error: { type: "rate_limit_error", message: "slow down" },
    });
    expect(kept).toEqual([
      {
        error: {
          message: "slow down",
          type: "rate_limit_error",
          param: null,
          code: "rate_limit_exceeded",
        },
      },
    ]);
  });
});
