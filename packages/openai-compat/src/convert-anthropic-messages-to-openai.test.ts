import { describe, expect, it } from "vitest";
import { convertAnthropicMessagesToOpenAI } from "./convert-anthropic-messages-to-openai.js";
import { TranslationError } from "./errors.js";
import type { AnthropicMessagesRequest } from "./types/anthropic.js";

type Prompt = Pick<AnthropicMessagesRequest, "system" | "messages">;
const convert = (prompt: Prompt, options = {}) => convertAnthropicMessagesToOpenAI(prompt, options);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (TranslationError.isInstance(error)) return `${error.code}:${error.param}`;
    throw error;
  }
  return "no error";
}

describe("system prompt", () => {
  it("folds system blocks and in-message system turns into one leading message, in order", () => {
    const out = convert({
      system: [
        { type: "text", text: "You are a CLI.", cache_control: { type: "ephemeral" } },
        { type: "text", text: "Be careful." },
      ],
      messages: [
        { role: "user", content: "hi" },
        { role: "system", content: "Late reminder." },
        { role: "assistant", content: "hello" },
      ],
    });
    expect(out).toEqual([
      { role: "system", content: "You are a CLI.\n\nBe careful.\n\nLate reminder." },
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ]);
  });

  it("uses the developer role when asked and omits an empty system", () => {
    expect(convert({ system: "S", messages: [] }, { systemRole: "developer" })).toEqual([
      { role: "developer", content: "S" },
    ]);
    expect(convert({ system: "", messages: [{ role: "user", content: "x" }] })).toEqual([
      { role: "user", content: "x" },
    ]);
  });
});

describe("user content", () => {
  it("converts text, images and documents", () => {
    const out = convert({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "see", cache_control: { type: "ephemeral" } },
            { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/" } },
            { type: "image", source: { type: "url", url: "https://x.test/a.png" } },
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: "JVBE" },
              title: "r.pdf",
            },
            {
              type: "document",
              source: { type: "text", media_type: "text/plain", data: "notes" },
              title: "n.txt",
            },
            {
              type: "document",
              source: { type: "content", content: [{ type: "text", text: "c1" }] },
            },
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: "JVBF" },
            },
          ],
        },
      ],
    });
    expect(out).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "see" },
          { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/" } },
          { type: "image_url", image_url: { url: "https://x.test/a.png" } },
          {
            type: "file",
            file: { file_data: "data:application/pdf;base64,JVBE", filename: "r.pdf" },
          },
          { type: "text", text: "n.txt\n\nnotes" },
          { type: "text", text: "c1" },
          // OpenAI refuses file_data without a filename: an untitled PDF gets a default one.
          {
            type: "file",
            file: { file_data: "data:application/pdf;base64,JVBF", filename: "document.pdf" },
          },
        ],
      },
    ]);
  });

  it("rejects what OpenAI cannot express", () => {
    expect(
      codeOf(() =>
        convert({
          messages: [
            { role: "user", content: [{ type: "image", source: { type: "file", file_id: "f" } }] },
          ],
        }),
      ),
    ).toBe("unsupported_content:messages[0].content[0]");
    expect(
      codeOf(() =>
        convert({
          messages: [
            {
              role: "user",
              content: [{ type: "document", source: { type: "url", url: "https://x" } }],
            },
          ],
        }),
      ),
    ).toBe("unsupported_content:messages[0].content[0]");
    expect(
      codeOf(() =>
        convert({
          messages: [{ role: "assistant", content: [{ type: "server_tool_use" } as never] }],
        }),
      ),
    ).toBe("unsupported_content:messages[0].content[0]");
  });
});

describe("tool use", () => {
  const prompt: Prompt = {
    messages: [
      { role: "user", content: "list files" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "I should call ls.", signature: "sig" },
          { type: "redacted_thinking", data: "xxx" },
          { type: "text", text: "Running " },
          { type: "text", text: "ls." },
          { type: "tool_use", id: "toolu_1", name: "bash", input: { command: "ls" } },
          { type: "tool_use", id: "toolu_2", name: "read", input: { path: "a.png" } },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_1",
            content: [
              { type: "text", text: "a.png" },
              { type: "text", text: "b" },
            ],
          },
          {
            type: "tool_result",
            tool_use_id: "toolu_2",
            content: [
              { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBO" } },
            ],
          },
          { type: "text", text: "what next?" },
        ],
      },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_3", name: "bash", input: {} }],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_3", content: "denied", is_error: true },
        ],
      },
    ],
  };

  it("maps tool_use to tool_calls and tool_result to tool messages, attachments after", () => {
    expect(convert(prompt)).toEqual([
      { role: "user", content: "list files" },
      {
        role: "assistant",
        content: "Running ls.",
        tool_calls: [
          {
            id: "toolu_1",
            type: "function",
            function: { name: "bash", arguments: '{"command":"ls"}' },
          },
          {
            id: "toolu_2",
            type: "function",
            function: { name: "read", arguments: '{"path":"a.png"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "a.png\nb" },
      {
        role: "tool",
        tool_call_id: "toolu_2",
        content: "(attachments follow in the next message)",
      },
      {
        role: "user",
        content: [
          { type: "text", text: "Attachments of tool result toolu_2:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } },
          { type: "text", text: "what next?" },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "toolu_3", type: "function", function: { name: "bash", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_3", content: "Error: denied" },
    ]);
  });

  it("can send thinking history as reasoning_content", () => {
    const out = convert(prompt, { reasoningHistory: "reasoning_content" });
    expect(out[1]).toMatchObject({ role: "assistant", reasoning_content: "I should call ls." });
  });

  it("restores raw-mode arguments verbatim only in raw mode", () => {
    const prompt: Prompt = {
      messages: [
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "t", name: "f", input: { _raw_arguments: "{bad" } }],
        },
      ],
    };
    expect(convert(prompt, { invalidToolArguments: "raw" })[0]).toMatchObject({
      tool_calls: [{ function: { arguments: "{bad" } }],
    });
    expect(convert(prompt)[0]).toMatchObject({
      tool_calls: [{ function: { arguments: '{"_raw_arguments":"{bad"}' } }],
    });
  });
});
