import { describe, expect, it } from "vitest";
import { convertResponsesRequestToAnthropic } from "./convert-responses-request-to-anthropic.js";
import { convertResponsesRequestToOpenAI } from "./convert-responses-request-to-openai.js";
import { TranslationError } from "./errors.js";
import type { ResponsesRequest } from "./types/responses.js";

/** A request shaped like the ones Codex sends: store false, the whole history, its tools. */
const codexLike: ResponsesRequest = {
  model: "gpt-5-codex",
  instructions: "You are Codex.",
  store: false,
  stream: true,
  include: ["reasoning.encrypted_content"],
  prompt_cache_key: "conv-1",
  parallel_tool_calls: false,
  reasoning: { effort: "medium", summary: "auto" },
  tool_choice: "auto",
  input: [
    {
      type: "message",
      role: "developer",
      content: [{ type: "input_text", text: "sandbox: read-only" }],
    },
    { type: "message", role: "user", content: [{ type: "input_text", text: "list files" }] },
    { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "opaque" },
    { type: "function_call", call_id: "call_1", name: "shell", arguments: '{"command":["ls"]}' },
    { type: "function_call_output", call_id: "call_1", output: "a.txt\nb.txt" },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "Two files." }] },
    { type: "message", role: "user", content: "thanks" },
  ],
  tools: [
    {
      type: "function",
      name: "shell",
      description: "Run a command",
      strict: false,
      parameters: { type: "object", properties: { command: { type: "array" } } },
    },
    { type: "web_search" },
    { type: "custom", name: "apply_patch", format: { type: "grammar" } },
    { type: "image_generation" },
  ],
};

describe("convertResponsesRequestToOpenAI", () => {
  it("moves a tool output's images out of the tool message (Chat takes text there only)", () => {
    const image = { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "high" };
    const { request } = convertResponsesRequestToOpenAI({
      model: "gpt-4o",
      input: [
        { type: "message", role: "user", content: "look at both" },
        { type: "function_call", call_id: "c1", name: "view_image", arguments: "{}" },
        { type: "function_call", call_id: "c2", name: "shell", arguments: "{}" },
        {
          type: "function_call_output",
          call_id: "c1",
          output: [{ type: "input_text", text: "pixel.png" }, image],
        },
        { type: "function_call_output", call_id: "c2", output: "ok" },
        { type: "message", role: "user", content: "and?" },
      ],
    } as ResponsesRequest);
    expect(request.messages.slice(2)).toEqual([
      { role: "tool", tool_call_id: "c1", content: [{ type: "text", text: "pixel.png" }] },
      { role: "tool", tool_call_id: "c2", content: "ok" },
      {
        role: "user",
        content: [
          { type: "text", text: "Attachments of tool result c1:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "high" } },
        ],
      },
      { role: "user", content: "and?" },
    ]);
    // Anthropic takes the image in the tool result itself.
    const anthropic = convertResponsesRequestToAnthropic({
      model: "claude-x",
      max_output_tokens: 100,
      input: [
        { type: "function_call", call_id: "c1", name: "view_image", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: [image] },
      ],
    } as ResponsesRequest).request;
    expect(JSON.stringify(anthropic.messages)).toContain('"tool_result"');
    expect(JSON.stringify(anthropic.messages)).toContain('"image"');
    expect(JSON.stringify(anthropic.messages)).not.toContain("Attachments of tool result");
  });

  it("turns a Codex-style request into Chat Completions with calls paired by call_id", () => {
    const { request, omitted } = convertResponsesRequestToOpenAI(codexLike);
    expect(request.messages).toEqual([
      { role: "system", content: "You are Codex." },
      { role: "developer", content: [{ type: "text", text: "sandbox: read-only" }] },
      { role: "user", content: [{ type: "text", text: "list files" }] },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "shell", arguments: '{"command":["ls"]}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "a.txt\nb.txt" },
      { role: "assistant", content: "Two files." },
      { role: "user", content: "thanks" },
    ]);
    expect(request.tools).toEqual([
      {
        type: "function",
        function: {
          name: "shell",
          description: "Run a command",
          strict: false,
          parameters: codexLike.tools?.[0]?.parameters,
        },
      },
      {
        type: "function",
        function: {
          name: "apply_patch",
          parameters: {
            type: "object",
            properties: {
              input: { type: "string", description: "The tool's whole input, as text." },
            },
            required: ["input"],
            additionalProperties: false,
          },
        },
      },
    ]);
    expect(omitted).toEqual(["tool:web_search", "tool:image_generation"]);
    expect(request).toMatchObject({
      tool_choice: "auto",
      parallel_tool_calls: false,
      reasoning_effort: "medium",
      prompt_cache_key: "conv-1",
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request.store).toBeUndefined();
  });

  it("maps max_output_tokens, text.format and images", () => {
    const { request } = convertResponsesRequestToOpenAI(
      {
        model: "m",
        max_output_tokens: 50,
        text: {
          format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true },
        },
        input: [
          {
            role: "user",
            content: [
              { type: "input_text", text: "what is this?" },
              { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "low" },
            ],
          },
        ],
      },
      { maxTokensField: "max_tokens", developerRole: "system" },
    );
    expect(request.max_tokens).toBe(50);
    expect(request.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "out", schema: { type: "object" }, strict: true },
    });
    expect(request.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "what is this?" },
        { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "low" } },
      ],
    });
  });

  it("refuses what needs server-side state with a 400 that says switchyard is stateless", () => {
    for (const body of [
      { model: "m", input: "hi", previous_response_id: "resp_1" },
      { model: "m", input: [{ type: "item_reference", id: "msg_1" }] },
      { model: "m", input: "hi", background: true },
    ]) {
      let error: unknown;
      try {
        convertResponsesRequestToOpenAI(body as ResponsesRequest);
      } catch (e) {
        error = e;
      }
      expect(TranslationError.isInstance(error)).toBe(true);
      expect((error as TranslationError).status).toBe(400);
      expect((error as TranslationError).message).toMatch(/stateless/);
    }
  });

  it("refuses a tool_choice naming a tool it cannot translate", () => {
    expect(() =>
      convertResponsesRequestToOpenAI({
        model: "m",
        input: "x",
        tools: [{ type: "web_search" }],
        tool_choice: { type: "web_search" },
      }),
    ).toThrow(/tool_choice/);
  });

  it("leaves out hosted tool calls in the history and reports them", () => {
    const { request, omitted } = convertResponsesRequestToOpenAI({
      model: "m",
      input: [
        { role: "user", content: "search" },
        { type: "web_search_call", id: "ws_1", status: "completed" },
        { role: "assistant", content: "found" },
      ],
    });
    expect(request.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(omitted).toEqual(["item:web_search_call"]);
  });
});

describe("convertResponsesRequestToAnthropic", () => {
  it("pairs tool_use and tool_result by call_id and maps reasoning effort to thinking", () => {
    const { request, omitted } = convertResponsesRequestToAnthropic(codexLike, {
      unsupportedParameters: "drop",
    });
    expect(request.system).toEqual([
      { type: "text", text: "You are Codex." },
      { type: "text", text: "sandbox: read-only" },
    ]);
    const assistant = request.messages[1];
    expect(assistant).toEqual({
      role: "assistant",
      content: [{ type: "tool_use", id: "call_1", name: "shell", input: { command: ["ls"] } }],
    });
    expect(request.messages[2]?.content).toEqual([
      { type: "tool_result", tool_use_id: "call_1", content: "a.txt\nb.txt" },
    ]);
    expect(request.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(request.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(request.stream).toBe(true);
    expect(omitted).toContain("tool:web_search");
  });

  it("carries cache_control on input parts to the Anthropic blocks", () => {
    const { request } = convertResponsesRequestToAnthropic({
      model: "claude",
      max_output_tokens: 100,
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "long document", cache_control: { type: "ephemeral" } },
          ],
        },
      ],
    });
    expect(request.max_tokens).toBe(100);
    expect(request.messages[0]?.content).toEqual([
      { type: "text", text: "long document", cache_control: { type: "ephemeral" } },
    ]);
  });
});
