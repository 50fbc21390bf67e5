import { describe, expect, it } from "vitest";
import { convertOpenAIMessagesToAnthropic } from "./convert-openai-messages-to-anthropic.js";
import { TranslationError } from "./errors.js";
import type { OpenAIMessage } from "./types/openai.js";

const convert = (messages: OpenAIMessage[], options = {}) =>
  convertOpenAIMessagesToAnthropic(messages, { generateId: () => "gen", ...options });

function thrown(fn: () => unknown): TranslationError {
  try {
    fn();
  } catch (error) {
    if (TranslationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a TranslationError");
}

describe("system and developer messages", () => {
  it("keeps a single string system message as a string", () => {
    expect(
      convert([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ]),
    ).toEqual({
      system: "Be brief.",
      messages: [{ role: "user", content: "Hi" }],
    });
  });

  it("folds several system/developer messages into blocks, in order, wherever they are", () => {
    const out = convert([
      { role: "system", content: "one" },
      { role: "user", content: "Hi" },
      {
        role: "developer",
        content: [
          { type: "text", text: "two" },
          { type: "text", text: "three" },
        ],
      },
    ]);
    expect(out.system).toEqual([
      { type: "text", text: "one" },
      { type: "text", text: "two" },
      { type: "text", text: "three" },
    ]);
    expect(out.messages).toEqual([{ role: "user", content: "Hi" }]);
  });
});

describe("user content", () => {
  it("converts text, data-URL images, http images, PDFs and text files", () => {
    const out = convert([
      {
        role: "user",
        content: [
          { type: "text", text: "Look" },
          {
            type: "image_url",
            image_url: { url: "data:image/png;base64,iVBORw0K", detail: "high" },
          },
          { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          {
            type: "file",
            file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" },
          },
          { type: "file", file: { file_data: "data:text/plain;base64,aMOpbGxv" } },
        ],
      },
    ]);
    expect(out.messages[0]?.content).toEqual([
      { type: "text", text: "Look" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0K" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
        title: "a.pdf",
      },
      { type: "document", source: { type: "text", media_type: "text/plain", data: "héllo" } },
    ]);
  });

  it.each([
    [
      { type: "input_audio", input_audio: { data: "AAA", format: "wav" } },
      "messages[0].content[0]",
    ],
    [{ type: "file", file: { file_id: "file-123" } }, "messages[0].content[0]"],
    [{ type: "file", file: { file_data: "data:image/png;base64,AAA" } }, "messages[0].content[0]"],
    [{ type: "image_url", image_url: { url: "ftp://x/y.png" } }, "messages[0].content[0]"],
    [{ type: "video", video: {} }, "messages[0].content[0]"],
  ])("rejects %o with unsupported_content", (part, param) => {
    const error = thrown(() => convert([{ role: "user", content: [part as never] }]));
    expect(error.code).toBe("unsupported_content");
    expect(error.param).toBe(param);
  });
});

describe("assistant tool calls and tool results", () => {
  const history: OpenAIMessage[] = [
    { role: "user", content: "Weather in Paris and Rome?" },
    {
      role: "assistant",
      content: "Checking.",
      reasoning_content: "dropped",
      tool_calls: [
        {
          id: "call_1",
          type: "function",
          function: { name: "weather", arguments: '{"city":"Paris"}' },
        },
        { id: "call_2", type: "function", function: { name: "weather", arguments: "" } },
      ],
    },
    { role: "tool", tool_call_id: "call_1", content: "18C" },
    { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "21C" }] },
    { role: "user", content: "Thanks" },
  ];

  it("turns tool_calls into tool_use and merges tool results with the next user turn", () => {
    expect(convert(history).messages).toEqual([
      { role: "user", content: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "call_1", name: "weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_2", name: "weather", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18C" },
          { type: "tool_result", tool_use_id: "call_2", content: [{ type: "text", text: "21C" }] },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  it("keeps images a tool result carries, and refuses other parts clearly", () => {
    const call: OpenAIMessage = {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "s", type: "function", function: { name: "shot", arguments: "{}" } }],
    };
    const withImage = [
      { role: "user", content: "Screenshot?" },
      call,
      {
        role: "tool",
        tool_call_id: "s",
        content: [
          { type: "text", text: "see" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } },
        ],
      },
    ] as OpenAIMessage[];
    expect(convert(withImage).messages[2]).toEqual({
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "s",
          content: [
            { type: "text", text: "see" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBO" } },
          ],
        },
      ],
    });
    const withAudio = [
      ...withImage.slice(0, 2),
      { role: "tool", tool_call_id: "s", content: [{ type: "input_audio", input_audio: {} }] },
    ] as OpenAIMessage[];
    expect(() => convert(withAudio)).toThrow(
      expect.objectContaining({ code: "unsupported_content", param: "messages[2].content[0]" }),
    );
  });

  it("throws on malformed arguments by default and keeps them raw on request", () => {
    const bad: OpenAIMessage[] = [
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{oops" } }],
      },
    ];
    const error = thrown(() => convert(bad));
    expect(error.code).toBe("invalid_tool_arguments");
    expect(error.param).toBe("messages[0].tool_calls[0].function.arguments");
    expect(convert(bad, { invalidToolArguments: "raw" }).messages[0]?.content).toEqual([
      { type: "tool_use", id: "c", name: "f", input: { _raw_arguments: "{oops" } },
    ]);
    const array: OpenAIMessage[] = [
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "[1]" } }],
      },
    ];
    expect(thrown(() => convert(array)).code).toBe("invalid_tool_arguments");
  });

  it("moves tool results ahead of text in a merged user turn", () => {
    const out = convert([
      { role: "user", content: "first" },
      { role: "tool", tool_call_id: "x", content: "r" },
    ]);
    expect(out.messages[0]?.content).toEqual([
      { type: "tool_result", tool_use_id: "x", content: "r" },
      { type: "text", text: "first" },
    ]);
  });

  it("merges consecutive same-role messages and skips empty assistant turns", () => {
    const out = convert([
      { role: "user", content: "a" },
      { role: "assistant", content: "" },
      { role: "user", content: [{ type: "text", text: "b" }] },
      { role: "assistant", content: null, refusal: "I can't help with that." },
    ]);
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "I can't help with that." }] },
    ]);
  });

  it("supports the deprecated function_call / function message pair", () => {
    const out = convert([
      { role: "assistant", content: null, function_call: { name: "f", arguments: '{"a":1}' } },
      { role: "function", name: "f", content: "done" },
    ]);
    expect(out.messages).toEqual([
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "call_gen", name: "f", input: { a: 1 } }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "call_gen", content: "done" }],
      },
    ]);
  });
});

describe("malformed input", () => {
  it("names the offending message, and turns any other crash into invalid_request", () => {
    const error = thrown(() => convert([{ role: "user", content: "a" }, null as never]));
    expect(error.code).toBe("invalid_request");
    expect(error.param).toBe("messages[1]");
    const crash = thrown(() => convert([{ role: "user", content: [null as never] }]));
    expect(crash.code).toBe("invalid_request");
    expect(crash.message).toMatch(/^Malformed request: /);
    expect(crash.cause).toBeInstanceOf(TypeError);
  });
});

describe("convertOpenAIMessagesToAnthropic: prompt-cache breakpoints", () => {
  const cache = { type: "ephemeral" as const };
  it("carries cache_control on parts and messages (opencode's Claude breakpoints)", () => {
    const prompt = convertOpenAIMessagesToAnthropic([
      { role: "system", content: "You are opencode.", cache_control: cache },
      {
        role: "user",
        content: [
          { type: "text", text: "big file", cache_control: cache },
          { type: "text", text: "question" },
        ],
      },
      { role: "assistant", content: "answer", cache_control: cache },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "result", cache_control: cache },
    ]);
    expect(prompt.system).toEqual([
      { type: "text", text: "You are opencode.", cache_control: cache },
    ]);
    expect(prompt.messages[0]?.content).toEqual([
      { type: "text", text: "big file", cache_control: cache },
      { type: "text", text: "question" },
    ]);
    expect(prompt.messages[1]?.content).toEqual([
      { type: "text", text: "answer", cache_control: cache },
      { type: "tool_use", id: "c1", name: "f", input: {} },
    ]);
    expect(prompt.messages[2]?.content).toEqual([
      { type: "tool_result", tool_use_id: "c1", content: "result", cache_control: cache },
    ]);
  });

  it("keeps a plain single system string when nothing is marked", () => {
    expect(convertOpenAIMessagesToAnthropic([{ role: "system", content: "s" }]).system).toBe("s");
  });
});

describe("tool call ids", () => {
  it("rewrites ids Anthropic refuses the same way on the call and its result, keeping them apart", () => {
    const { messages } = convert([
      { role: "user", content: "weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "functions.get_weather:0",
            type: "function",
            function: { name: "w", arguments: "{}" },
          },
          {
            id: "functions_get_weather_0",
            type: "function",
            function: { name: "w", arguments: "{}" },
          },
          { id: "call_ok-1", type: "function", function: { name: "w", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "functions.get_weather:0", content: "sunny" },
      { role: "tool", tool_call_id: "functions_get_weather_0", content: "rainy" },
      { role: "tool", tool_call_id: "call_ok-1", content: "dry" },
    ]);
    const uses = ((messages[1] ?? { content: [] }).content as Array<{ id: string }>).map(
      (b) => b.id,
    );
    const results = (
      (messages[2] ?? { content: [] }).content as Array<{ tool_use_id: string }>
    ).map((b) => b.tool_use_id);
    expect(results).toEqual(uses);
    for (const id of uses) expect(id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(new Set(uses).size).toBe(3);
    // An id Anthropic takes is kept.
    expect(uses[1]).toBe("functions_get_weather_0");
    expect(uses[2]).toBe("call_ok-1");
    expect(uses[0]).toMatch(/^functions_get_weather_0_[0-9a-f]{8}$/);
  });
});
