import { describe, expect, it } from "vitest";
import { streamSink } from "../../../test/helpers/stream-sink.js";
import { parseCliLine } from "../cli-runner/cli-lines.js";
import { createResponseWriter } from "../cli-runner/response-writer.js";
import { anthropicUsage, consumeCodexEvents, subtractUsage } from "./consume-events.js";
import type { CodexQuotaSignal } from "./quota-matcher.js";

/** `codex exec --json` 0.171 output of one turn against a mock (recorded). */
const turn = [
  '{"type":"thread.started","thread_id":"01a24b2f-8a57-7053-87c0-45cbf8761cce"}',
  '{"type":"item.completed","item":{"id":"item_0","type":"error","message":"Model metadata for `gpt-mock` not found."}}',
  '{"type":"turn.started"}',
  '{"type":"item.completed","item":{"id":"item_1","type":"reasoning","text":"Thinking it over."}}',
  '{"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"Hello from mock"}}',
  '{"type":"turn.completed","usage":{"input_tokens":40,"cached_input_tokens":8,"cache_write_input_tokens":0,"output_tokens":11,"reasoning_output_tokens":3}}',
];

async function* events(lines: string[]) {
  for (const line of lines) {
    const event = parseCliLine(line);
    if (event !== undefined) yield event;
  }
}

describe("consumeCodexEvents", () => {
  it("turns items into one Anthropic message: reasoning as thinking, the answer as text", async () => {
    const { sink, writes } = streamSink();
    const writer = createResponseWriter({ dialect: "anthropic", stream: true, sink, model: "m" });
    const signals: CodexQuotaSignal[] = [];
    const run = await consumeCodexEvents(events(turn), {
      writer,
      model: "m",
      messageId: "msg_1",
      onSignal: (s) => signals.push(s),
    });
    expect(run).toMatchObject({
      threadId: "01a24b2f-8a57-7053-87c0-45cbf8761cce",
      completed: true,
    });
    expect(writer.message()?.content).toEqual([
      { type: "thinking", thinking: "Thinking it over." },
      { type: "text", text: "Hello from mock" },
    ]);
    expect(writes.join("")).toContain("event: message_stop");
    // The non-fatal "model metadata" notice is no part of the answer, and no quota signal.
    expect(writes.join("")).not.toContain("Model metadata");
    expect(signals).toEqual([]);
  });

  it("keeps a failed turn's message and reports its quota signal once", async () => {
    const { sink } = streamSink();
    const writer = createResponseWriter({ dialect: "anthropic", stream: false, sink, model: "m" });
    const text = "You've hit your usage limit. Try again later.";
    const signals: CodexQuotaSignal[] = [];
    const run = await consumeCodexEvents(
      events([
        turn[0] ?? "",
        JSON.stringify({ type: "error", message: text }),
        JSON.stringify({ type: "turn.failed", error: { message: text } }),
      ]),
      { writer, model: "m", messageId: "msg_1", onSignal: (s) => signals.push(s) },
    );
    expect(run).toMatchObject({ completed: false, errorText: text });
    expect(signals.map((s) => s.kind)).toEqual(["exhausted"]);
  });

  it("counts a forked turn's own tokens, cached input apart", () => {
    const total = { input_tokens: 80, cached_input_tokens: 16, output_tokens: 22 };
    const parent = { input_tokens: 40, cached_input_tokens: 8, output_tokens: 11 };
    expect(anthropicUsage(subtractUsage(total, parent))).toEqual({
      input_tokens: 32,
      cache_read_input_tokens: 8,
      output_tokens: 11,
    });
  });
});
