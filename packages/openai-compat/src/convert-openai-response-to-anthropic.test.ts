import { describe, expect, it } from "vitest";
import { convertOpenAIResponseToAnthropic } from "./convert-openai-response-to-anthropic.js";
import type { OpenAIChatCompletion, OpenAIResponseMessage } from "./types/openai.js";

const completion = (
  message: Partial<OpenAIResponseMessage>,
  finishReason: OpenAIChatCompletion["choices"][number]["finish_reason"] = "stop",
): OpenAIChatCompletion => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-x",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: null, ...message },
      finish_reason: finishReason,
    },
  ],
  usage: {
    prompt_tokens: 20,
    completion_tokens: 4,
    total_tokens: 24,
    prompt_tokens_details: { cached_tokens: 8 },
  },
});
const generateId = () => "gen";

describe("convertOpenAIResponseToAnthropic", () => {
  it("converts a text reply with usage and keeps the id", () => {
    expect(convertOpenAIResponseToAnthropic(completion({ content: "Hello!" }))).toEqual({
      id: "chatcmpl-1",
      type: "message",
      role: "assistant",
      model: "gpt-x",
      content: [{ type: "text", text: "Hello!" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 12,
        output_tokens: 4,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 8,
      },
    });
  });

  it("turns reasoning_content or reasoning into a thinking block", () => {
    expect(
      convertOpenAIResponseToAnthropic(completion({ reasoning_content: "hmm", content: "ok" }))
        .content,
    ).toEqual([
      { type: "thinking", thinking: "hmm", signature: "" },
      { type: "text", text: "ok" },
    ]);
    expect(convertOpenAIResponseToAnthropic(completion({ reasoning: "r" })).content[0]).toEqual({
      type: "thinking",
      thinking: "r",
      signature: "",
    });
  });

  it("converts tool calls, also when the server says finish_reason stop", () => {
    const tools = completion(
      {
        content: "Let me check.",
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Rome"}' },
          },
          { id: "", type: "function", function: { name: "noop", arguments: "" } },
        ],
      },
      "stop",
    );
    const out = convertOpenAIResponseToAnthropic(tools, { generateId });
    expect(out.content).toEqual([
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "call_1", name: "weather", input: { city: "Rome" } },
      { type: "tool_use", id: "call_gen", name: "noop", input: {} },
    ]);
    expect(out.stop_reason).toBe("tool_use");
  });

  it("maps refusal, length and content_filter", () => {
    const refusal = convertOpenAIResponseToAnthropic(completion({ refusal: "I can't." }));
    expect(refusal.content).toEqual([{ type: "text", text: "I can't." }]);
    expect(refusal.stop_reason).toBe("refusal");
    expect(
      convertOpenAIResponseToAnthropic(completion({ content: "x" }, "length")).stop_reason,
    ).toBe("max_tokens");
    expect(
      convertOpenAIResponseToAnthropic(completion({ content: "" }, "content_filter")),
    ).toMatchObject({
      content: [],
      stop_reason: "refusal",
    });
  });

  it("reports malformed tool arguments as a 502 error, or keeps them raw", () => {
    const bad = completion(
      { tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: '{"a":' } }] },
      "tool_calls",
    );
    expect(() => convertOpenAIResponseToAnthropic(bad)).toThrow(
      expect.objectContaining({ code: "invalid_tool_arguments", status: 502 }),
    );
    expect(
      convertOpenAIResponseToAnthropic(bad, { invalidToolArguments: "raw" }).content[0],
    ).toEqual({
      type: "tool_use",
      id: "c",
      name: "f",
      input: { _raw_arguments: '{"a":' },
    });
  });

  it("reports the stop string vLLM names in stop_reason as stop_sequence", () => {
    const stopped = completion({ content: "one two" });
    (stopped.choices[0] as { stop_reason?: unknown }).stop_reason = "END";
    expect(convertOpenAIResponseToAnthropic(stopped)).toMatchObject({
      stop_reason: "stop_sequence",
      stop_sequence: "END",
    });
    // A stop token id (a number) or none is an ordinary end of turn.
    (stopped.choices[0] as { stop_reason?: unknown }).stop_reason = 128009;
    expect(convertOpenAIResponseToAnthropic(stopped)).toMatchObject({
      stop_reason: "end_turn",
      stop_sequence: null,
    });
  });

  it("reports a tool call cut off by the token limit as max_tokens, not an error", () => {
    const cut = completion(
      {
        tool_calls: [
          { id: "a", type: "function", function: { name: "f", arguments: '{"x":1}' } },
          { id: "b", type: "function", function: { name: "g", arguments: '{"a": "tru' } },
        ],
      },
      "length",
    );
    const message = convertOpenAIResponseToAnthropic(cut);
    expect(message.stop_reason).toBe("max_tokens");
    expect(message.content).toEqual([
      { type: "tool_use", id: "a", name: "f", input: { x: 1 } },
      { type: "tool_use", id: "b", name: "g", input: {} },
    ]);
  });

  it("rejects responses without exactly one choice and fills a missing id", () => {
    expect(() => convertOpenAIResponseToAnthropic({ ...completion({}), choices: [] })).toThrow(
      expect.objectContaining({ code: "invalid_response", status: 502 }),
    );
    const noId = convertOpenAIResponseToAnthropic(
      { ...completion({ content: "x" }), id: "", usage: undefined },
      { generateId },
    );
    expect(noId.id).toBe("msg_gen");
    expect(noId.usage).toMatchObject({ input_tokens: 0, output_tokens: 0 });
  });
});

describe("malformed responses", () => {
  it("become invalid_response with status 502", () => {
    const bad = {
      ...completion({}),
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: null, tool_calls: "x" },
          finish_reason: "stop",
        },
      ],
    };
    expect(() => convertOpenAIResponseToAnthropic(bad as never)).toThrow(
      expect.objectContaining({ code: "invalid_response", status: 502 }),
    );
  });
});
