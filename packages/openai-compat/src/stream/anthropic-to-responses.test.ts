import { describe, expect, it } from "vitest";
import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { ResponsesRequest, ResponsesStreamEvent } from "../types/responses.js";
import { createAnthropicToResponsesStreamTranslator } from "./anthropic-to-responses.js";
import { serializeResponsesStreamEvent } from "./serialize-responses.js";

type Json = Record<string, unknown>;

const start: AnthropicStreamEvent = {
  type: "message_start",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-x",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 },
  },
};
const stop = (reason: string, output = 7): AnthropicStreamEvent[] => [
  {
    type: "message_delta",
    delta: { stop_reason: reason as never, stop_sequence: null },
    usage: { output_tokens: output },
  } as AnthropicStreamEvent,
  { type: "message_stop" },
];
const block = (index: number, content_block: Json) =>
  ({ type: "content_block_start", index, content_block }) as AnthropicStreamEvent;
const delta = (index: number, d: Json) =>
  ({ type: "content_block_delta", index, delta: d }) as AnthropicStreamEvent;
const blockStop = (index: number) =>
  ({ type: "content_block_stop", index }) as AnthropicStreamEvent;

let n = 0;
const ids = (prefix: string) => `${prefix}${++n}`;

function run(events: AnthropicStreamEvent[], request?: ResponsesRequest) {
  const t = createAnthropicToResponsesStreamTranslator({
    ...(request === undefined ? {} : { request }),
    generateId: ids,
    now: () => 1_000_000,
  });
  const out: ResponsesStreamEvent[] = [];
  for (const e of events) out.push(...t.push(e));
  out.push(...t.finish());
  return { out, types: out.map((e) => e.type), last: out.at(-1) as Json & { response: Json } };
}

describe("createAnthropicToResponsesStreamTranslator", () => {
  it("marks the last item incomplete when the stop reason after its block says so", () => {
    // A tool call cut by max_tokens: its stop comes before the stop reason.
    const cut = run([
      start,
      block(0, { type: "text", text: "" }),
      delta(0, { type: "text_delta", text: "Writing." }),
      blockStop(0),
      block(1, { type: "tool_use", id: "toolu_1", name: "write", input: {} }),
      delta(1, { type: "input_json_delta", partial_json: '{"path":"a.txt","content":"ab' }),
      blockStop(1),
      ...stop("max_tokens"),
    ]);
    const done = cut.out.filter((e) => e.type === "response.output_item.done") as Array<
      Json & { item: Json }
    >;
    expect(done.map((e) => [e.item.type, e.item.status])).toEqual([
      ["message", "completed"],
      ["function_call", "incomplete"],
    ]);
    expect(cut.last.type).toBe("response.incomplete");
    expect((cut.last.response.output as Json[]).map((i) => i.status)).toEqual([
      "completed",
      "incomplete",
    ]);
    // A refusal ends the response incomplete, and its message with it.
    const refused = run([
      start,
      block(0, { type: "text", text: "" }),
      delta(0, { type: "text_delta", text: "I can't" }),
      blockStop(0),
      ...stop("refusal"),
    ]);
    const item = refused.out.find((e) => e.type === "response.output_item.done") as Json & {
      item: Json;
    };
    expect(item.item.status).toBe("incomplete");
    // An ordinary end: completed, and the events come in the same order as before.
    const whole = run([
      start,
      block(0, { type: "text", text: "" }),
      delta(0, { type: "text_delta", text: "Hi" }),
      blockStop(0),
      // A stray delta after the stop is ignored, as before.
      delta(0, { type: "text_delta", text: "late" }),
      ...stop("end_turn"),
    ]);
    expect(whole.types.slice(-4)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(JSON.stringify(whole.out)).not.toContain("late");
    expect((whole.last.response.output as Json[])[0]?.status).toBe("completed");
  });

  it("streams text as one message item with increasing sequence numbers and usage", () => {
    const { out, types, last } = run([
      start,
      block(0, { type: "text", text: "" }),
      delta(0, { type: "text_delta", text: "Hel" }),
      delta(0, { type: "text_delta", text: 'lo "w"' }),
      blockStop(0),
      ...stop("end_turn"),
    ]);
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(out.map((e) => e.sequence_number)).toEqual(out.map((_, i) => i));
    expect(last.response.output_text).toBe('Hello "w"');
    expect(last.response.usage).toEqual({
      input_tokens: 15,
      input_tokens_details: { cached_tokens: 5, cache_write_tokens: 0 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 22,
    });
    // Events sent earlier are not changed by what came later.
    expect((out[0] as Json & { response: { output: unknown[] } }).response.output).toEqual([]);
    expect((out[2] as Json & { item: Json }).item.status).toBe("in_progress");
  });

  it("gives the same SSE from the raw text fast path as from push + serialise", () => {
    const raw = [
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\\u00e9 🐕 \\"q\\"\\n"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"東京"}}',
    ];
    const head = [start, block(0, { type: "text", text: "" })];
    const opts = { generateId: (p: string) => `${p}x`, now: () => 0 };
    const slow = createAnthropicToResponsesStreamTranslator(opts);
    const fast = createAnthropicToResponsesStreamTranslator(opts);
    let a = "";
    let b = "";
    for (const e of head) {
      a += slow.push(e).map(serializeResponsesStreamEvent).join("");
      b += fast.push(e).map(serializeResponsesStreamEvent).join("");
    }
    for (const data of raw) {
      a += slow.push(JSON.parse(data)).map(serializeResponsesStreamEvent).join("");
      const sse = fast.textDeltaSse(data);
      expect(sse).toBeDefined();
      b += sse;
    }
    for (const e of [blockStop(0), ...stop("end_turn")]) {
      a += slow.push(e).map(serializeResponsesStreamEvent).join("");
      b += fast.push(e).map(serializeResponsesStreamEvent).join("");
    }
    // Same events (the fast path keeps the upstream's escapes, so compare parsed data).
    const events = (sse: string) =>
      sse
        .split("\n\n")
        .filter(Boolean)
        .map((e) => JSON.parse(e.slice(e.indexOf("data: ") + 6)));
    expect(events(b)).toEqual(events(a));
    expect(events(b).at(-1).response.output_text).toBe('café 🐕 "q"\n東京');
    // Not a text delta of an open text block: the caller parses it.
    expect(fast.textDeltaSse(raw[0] as string)).toBeUndefined();
  });

  it("streams thinking as reasoning summary events and keeps the signature when asked", () => {
    const events = [
      start,
      block(0, { type: "thinking", thinking: "", signature: "" }),
      delta(0, { type: "thinking_delta", thinking: "Let me " }),
      delta(0, { type: "thinking_delta", thinking: "think." }),
      delta(0, { type: "signature_delta", signature: "SIG==" }),
      blockStop(0),
      block(1, { type: "redacted_thinking", data: "REDACTED" }),
      blockStop(1),
      block(2, { type: "text", text: "" }),
      delta(2, { type: "text_delta", text: "Done." }),
      blockStop(2),
      ...stop("end_turn"),
    ];
    const asked = run(events, { model: "m", include: ["reasoning.encrypted_content"] });
    expect(asked.types.slice(2, 8)).toEqual([
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
    ]);
    const output = asked.last.response.output as Json[];
    expect(output[0]).toMatchObject({
      type: "reasoning",
      summary: [{ type: "summary_text", text: "Let me think." }],
      encrypted_content: "anthropic.thinking.SIG==",
    });
    expect(output[1]).toMatchObject({
      type: "reasoning",
      summary: [],
      encrypted_content: "anthropic.redacted_thinking.REDACTED",
    });
    expect(output[2]).toMatchObject({ type: "message", content: [{ text: "Done." }] });

    // Without `include`, no encrypted content and no redacted item (as OpenAI does).
    const plain = run(events, { model: "m" });
    const items = plain.last.response.output as Json[];
    expect(items.map((i) => i.type)).toEqual(["reasoning", "message"]);
    expect(items[0]?.encrypted_content).toBeUndefined();
  });

  it("maps tool_use to function_call, custom and namespaced calls back to what was declared", () => {
    const request: ResponsesRequest = {
      model: "m",
      tools: [
        { type: "function", name: "shell", parameters: { type: "object" } },
        { type: "custom", name: "apply_patch", format: { type: "text" } },
        {
          type: "namespace",
          name: "agents",
          tools: [{ type: "function", name: "spawn", parameters: { type: "object" } }],
        },
      ],
    };
    const { out, last } = run(
      [
        start,
        block(0, { type: "tool_use", id: "toolu_1", name: "shell", input: {} }),
        delta(0, { type: "input_json_delta", partial_json: '{"cmd":' }),
        delta(0, { type: "input_json_delta", partial_json: '"ls"}' }),
        blockStop(0),
        block(1, { type: "tool_use", id: "toolu_2", name: "apply_patch", input: {} }),
        delta(1, { type: "input_json_delta", partial_json: '{"input":"*** Begin Patch\\n' }),
        delta(1, { type: "input_json_delta", partial_json: '*** End Patch"}' }),
        blockStop(1),
        block(2, { type: "tool_use", id: "toolu_3", name: "agents__spawn", input: { a: 1 } }),
        blockStop(2),
        ...stop("tool_use"),
      ],
      request,
    );
    expect(last.type).toBe("response.completed");
    expect(last.response.output).toMatchObject([
      { type: "function_call", call_id: "toolu_1", name: "shell", arguments: '{"cmd":"ls"}' },
      {
        type: "custom_tool_call",
        call_id: "toolu_2",
        name: "apply_patch",
        input: "*** Begin Patch\n*** End Patch",
      },
      {
        type: "function_call",
        call_id: "toolu_3",
        name: "spawn",
        namespace: "agents",
        arguments: '{"a":1}',
      },
    ]);
    const custom = out.filter((e) => e.type.startsWith("response.custom_tool_call_input"));
    expect(custom.map((e) => e.type)).toEqual([
      "response.custom_tool_call_input.delta",
      "response.custom_tool_call_input.done",
    ]);
    const added = out.find(
      (e) =>
        e.type === "response.output_item.added" &&
        (e as Json & { output_index: number }).output_index === 1,
    ) as Json & { item: Json };
    expect(added.item).toMatchObject({ type: "custom_tool_call", status: "in_progress" });
  });

  it('streams a tool call with no parameters as "{}", deltas and done alike', () => {
    const { out, last } = run([
      start,
      block(0, { type: "tool_use", id: "toolu_1", name: "now", input: {} }),
      delta(0, { type: "input_json_delta", partial_json: "" }),
      blockStop(0),
      ...stop("tool_use"),
    ]);
    const deltas = out.flatMap((e) =>
      e.type === "response.function_call_arguments.delta" ? [e.delta] : [],
    );
    expect(deltas.join("")).toBe("{}");
    expect(out.find((e) => e.type === "response.function_call_arguments.done")).toMatchObject({
      arguments: "{}",
    });
    expect(last.response.output).toMatchObject([{ type: "function_call", arguments: "{}" }]);
  });

  it("ends max_tokens in response.incomplete and an error or a cut in response.failed", () => {
    const textStart = [
      start,
      block(0, { type: "text", text: "" }),
      delta(0, { type: "text_delta", text: "x" }),
    ];
    const cut = run([...textStart, ...stop("max_tokens")]);
    expect(cut.last.type).toBe("response.incomplete");
    expect(cut.last.response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    const terminal = /^response\.(completed|incomplete|failed)$/;
    expect(cut.types.filter((t) => terminal.test(t))).toEqual(["response.incomplete"]);

    const failed = run([
      ...textStart,
      {
        type: "error",
        error: { type: "overloaded_error", message: "Overloaded" },
      } as AnthropicStreamEvent,
    ]);
    expect(failed.last.type).toBe("response.failed");
    expect(failed.last.response.error).toMatchObject({ message: "Overloaded" });
    expect(failed.types.filter((t) => t === "response.completed")).toEqual([]);

    const died = run(textStart);
    expect(died.last.type).toBe("response.failed");
    expect((died.last.response.output as Json[])[0]?.status).toBe("incomplete");
    expect(died.types.filter((t) => t === "response.completed")).toEqual([]);
  });
});
