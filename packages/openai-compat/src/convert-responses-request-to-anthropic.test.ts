import { describe, expect, it } from "vitest";
import { convertAnthropicResponseToResponses } from "./convert-anthropic-response-to-responses.js";
import { convertResponsesRequestToAnthropic } from "./convert-responses-request-to-anthropic.js";
import type { AnthropicMessage } from "./types/anthropic.js";
import type { ResponsesInputItem, ResponsesRequest } from "./types/responses.js";

const tools: ResponsesRequest["tools"] = [
  { type: "function", name: "shell", parameters: { type: "object" } },
  {
    type: "custom",
    name: "apply_patch",
    description: "Edit files.",
    format: { type: "grammar", syntax: "lark", definition: "start: /.+/" },
  },
  {
    type: "namespace",
    name: "multi_agent_v1",
    description: "Sub-agents.",
    tools: [
      {
        type: "function",
        name: "close_agent",
        description: "Close one.",
        parameters: { type: "object" },
      },
    ],
  },
  { type: "web_search" },
];

describe("convertResponsesRequestToAnthropic", () => {
  it("refuses a request with no input message (Anthropic needs one) as a 400 on input", () => {
    for (const input of [undefined, [], [{ type: "message", role: "developer", content: "x" }]]) {
      const request = { model: "claude-x", instructions: "Be brief.", input } as ResponsesRequest;
      expect(() => convertResponsesRequestToAnthropic(request)).toThrow(
        expect.objectContaining({ status: 400, param: "input" }),
      );
    }
  });

  it("sends a stream with no stream options or verbosity, which Anthropic has no place for", () => {
    const { request } = convertResponsesRequestToAnthropic({
      model: "claude-x",
      input: "hi",
      stream: true,
      text: { verbosity: "low" },
    });
    expect(request).toEqual({
      model: "claude-x",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: request.max_tokens,
      stream: true,
    });
    expect(request.max_tokens).toBeGreaterThan(0);
  });

  it("translates custom and namespace tools and their calls, omits hosted ones", () => {
    const { request, omitted } = convertResponsesRequestToAnthropic({
      model: "claude-x",
      tools,
      tool_choice: { type: "custom", name: "apply_patch" },
      input: [
        { role: "user", content: "patch it" },
        { type: "custom_tool_call", call_id: "c1", name: "apply_patch", input: "*** Begin Patch" },
        { type: "custom_tool_call_output", call_id: "c1", output: "Done!" },
        {
          type: "function_call",
          call_id: "c2",
          name: "close_agent",
          namespace: "multi_agent_v1",
          arguments: '{"target":"a1"}',
        },
        { type: "function_call_output", call_id: "c2", output: "closed" },
      ],
    });
    expect(omitted).toEqual(["tool:web_search"]);
    expect(request.tools?.map((t) => t.name)).toEqual([
      "shell",
      "apply_patch",
      "multi_agent_v1__close_agent",
    ]);
    const patch = request.tools?.[1] as { description: string; input_schema: unknown };
    expect(patch.description).toContain("Edit files.");
    expect(patch.description).toContain("start: /.+/");
    expect(patch.input_schema).toMatchObject({ required: ["input"] });
    expect(request.tools?.[2]?.description).toBe("Sub-agents.\n\nClose one.");
    expect(request.tool_choice).toMatchObject({ type: "tool", name: "apply_patch" });
    expect(request.messages).toEqual([
      { role: "user", content: "patch it" },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "c1", name: "apply_patch", input: { input: "*** Begin Patch" } },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "c1", content: "Done!" }] },
      {
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: "c2",
            name: "multi_agent_v1__close_agent",
            input: { target: "a1" },
          },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "c2", content: "closed" }] },
    ]);
  });

  it("hands reasoning from Anthropic back as the signed thinking it was, and drops other reasoning", () => {
    // The first turn's answer, as switchyard gave it to a client that asked for encrypted content.
    const first = convertAnthropicResponseToResponses(
      {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-x",
        content: [
          { type: "thinking", thinking: "I should list files.", signature: "SIG1" },
          { type: "redacted_thinking", data: "RED1" },
          { type: "tool_use", id: "toolu_1", name: "shell", input: { cmd: "ls" } },
        ],
        stop_reason: "tool_use",
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      } as AnthropicMessage,
      { request: { model: "claude-x", include: ["reasoning.encrypted_content"] } },
    );
    const input: ResponsesInputItem[] = [
      { role: "user", content: "list files" },
      { type: "reasoning", summary: [], encrypted_content: "gAAAA-openai-opaque" },
      ...(first.output as ResponsesInputItem[]),
      { type: "function_call_output", call_id: "toolu_1", output: "a.txt" },
    ];
    const { request, omitted } = convertResponsesRequestToAnthropic({
      model: "claude-x",
      reasoning: { effort: "low" },
      tools,
      input,
    });
    expect(request.thinking).toMatchObject({ type: "enabled" });
    expect(omitted).not.toContain("reasoning:thinking-off");
    expect(request.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "I should list files.", signature: "SIG1" },
        { type: "redacted_thinking", data: "RED1" },
        { type: "tool_use", id: "toolu_1", name: "shell", input: { cmd: "ls" } },
      ],
    });
    expect(JSON.stringify(request)).not.toContain("openai-opaque");
  });

  it("keeps interleaved thinking in the order Claude wrote it, between its tool calls", () => {
    const content: AnthropicMessage["content"] = [
      { type: "thinking", thinking: "first thought", signature: "SIG1" },
      { type: "tool_use", id: "toolu_1", name: "shell", input: { cmd: "ls" } },
      { type: "thinking", thinking: "second thought", signature: "SIG2" },
      { type: "text", text: "And the date:" },
      { type: "redacted_thinking", data: "RED3" },
      { type: "tool_use", id: "toolu_2", name: "shell", input: { cmd: "date" } },
    ];
    // The answer as switchyard gave it, replayed item by item (as Codex does).
    const first = convertAnthropicResponseToResponses(
      {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-x",
        content,
        stop_reason: "tool_use",
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      } as AnthropicMessage,
      { request: { model: "claude-x", include: ["reasoning.encrypted_content"] } },
    );
    expect(first.output.map((i) => i.type)).toEqual([
      "reasoning",
      "function_call",
      "reasoning",
      "message",
      "reasoning",
      "function_call",
    ]);
    const { request, omitted } = convertResponsesRequestToAnthropic({
      model: "claude-x",
      reasoning: { effort: "low" },
      tools,
      input: [
        { role: "user", content: "list files, then the date" },
        ...(first.output as ResponsesInputItem[]),
        { type: "function_call_output", call_id: "toolu_1", output: "a.txt" },
        { type: "function_call_output", call_id: "toolu_2", output: "Monday" },
      ],
    });
    expect(omitted).not.toContain("reasoning:thinking-off");
    expect(request.messages).toHaveLength(3);
    expect(request.messages[1]).toEqual({ role: "assistant", content });
    expect(request.messages[2]?.content).toMatchObject([
      { type: "tool_result", tool_use_id: "toolu_1" },
      { type: "tool_result", tool_use_id: "toolu_2" },
    ]);
  });

  it("turns thinking off, and says so, when tool_choice forces a tool", () => {
    for (const options of [{}, { unsupportedParameters: "drop" as const }]) {
      for (const tool_choice of ["required", { type: "function", name: "shell" }] as const) {
        const { request, omitted } = convertResponsesRequestToAnthropic(
          { model: "claude-x", reasoning: { effort: "high" }, tools, tool_choice, input: "ls" },
          options,
        );
        expect(request.thinking).toBeUndefined();
        expect(request.tool_choice).toEqual(
          tool_choice === "required" ? { type: "any" } : { type: "tool", name: "shell" },
        );
        expect(omitted).toEqual(["tool:web_search", "reasoning:thinking-off"]);
      }
    }
    const free = convertResponsesRequestToAnthropic({
      model: "claude-x",
      reasoning: { effort: "high" },
      tools,
      tool_choice: "auto",
      input: "ls",
    });
    expect(free.request.thinking).toMatchObject({ type: "enabled" });
    expect(free.omitted).not.toContain("reasoning:thinking-off");
  });

  it("turns thinking off instead of sending a tool turn Anthropic would refuse", () => {
    const { request, omitted } = convertResponsesRequestToAnthropic({
      model: "claude-x",
      reasoning: { effort: "medium" },
      tools,
      input: [
        { role: "user", content: "list files" },
        { type: "reasoning", summary: [{ type: "summary_text", text: "x" }] },
        { type: "function_call", call_id: "c1", name: "shell", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "a.txt" },
      ],
    });
    expect(request.thinking).toBeUndefined();
    expect(omitted).toContain("reasoning:thinking-off");
    // A fresh question keeps thinking on.
    const fresh = convertResponsesRequestToAnthropic({
      model: "claude-x",
      reasoning: { effort: "medium" },
      input: "hi",
    });
    expect(fresh.request.thinking).toMatchObject({ type: "enabled" });
  });
});
