import type { AnthropicStreamEvent } from "@switchyard/openai-compat";
import { describe, expect, it } from "vitest";
import type { ResponseSink } from "../types.js";
import { createResponseWriter } from "./response-writer.js";

/** A sink that records what reached the client. */
function recordingSink() {
  const sent = { status: 0, chunks: [] as string[], json: undefined as unknown, ended: false };
  const sink: ResponseSink = {
    get started() {
      return sent.status !== 0;
    },
    get closed() {
      return false;
    },
    json(status, body) {
      sent.status = status;
      sent.json = body;
      sent.ended = true;
    },
    bytes(status, body) {
      sent.status = status;
      sent.chunks.push(String(body));
      sent.ended = true;
    },
    startStream(status) {
      sent.status = status;
    },
    async write(chunk) {
      sent.chunks.push(String(chunk));
    },
    end() {
      sent.ended = true;
    },
  };
  return { sink, sent };
}

const start = (id: string): AnthropicStreamEvent =>
  ({
    type: "message_start",
    message: {
      id,
      type: "message",
      role: "assistant",
      model: "m",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 1 },
    },
  }) as AnthropicStreamEvent;
const text = (t: string): AnthropicStreamEvent[] =>
  [
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } },
    { type: "content_block_stop", index: 0 },
  ] as AnthropicStreamEvent[];
const end = (): AnthropicStreamEvent[] =>
  [
    {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 4 },
    },
    { type: "message_stop" },
  ] as AnthropicStreamEvent[];
/** What the CLI relays when its API connection drops mid-answer, then its retry. */
const cutThenRetry = (): AnthropicStreamEvent[] => [
  start("msg_cut"),
  ...text("partial answer"),
  { type: "message_stop" } as AnthropicStreamEvent,
  start("msg_full"),
  ...text("the full answer"),
  ...end(),
];

describe("claude-code response writer", () => {
  it("answers with the CLI's retried message when the first one was cut off (not streaming)", async () => {
    const { sink, sent } = recordingSink();
    const writer = createResponseWriter({ dialect: "anthropic", stream: false, sink, model: "m" });
    for (const event of cutThenRetry()) await writer.push(event);
    expect(writer.interrupted).toBe(false);
    await writer.finish();
    expect(sent.json).toMatchObject({
      id: "msg_full",
      content: [{ type: "text", text: "the full answer" }],
      stop_reason: "end_turn",
    });
  });

  it("stops a stream whose message was cut off after it began, and passes on no false stop", async () => {
    const { sink, sent } = recordingSink();
    const writer = createResponseWriter({ dialect: "openai", stream: true, sink, model: "m" });
    for (const event of cutThenRetry()) await writer.push(event);
    expect(writer.interrupted).toBe(true);
    const streamed = sent.chunks.join("");
    expect(streamed).toContain("partial answer");
    expect(streamed).not.toContain("the full answer");
    expect(streamed).not.toContain('"finish_reason":"stop"');
    await writer.fail(new Error("dropped"));
    expect(sent.chunks.join("")).toContain('"error"');
  });

  it("passes a normal stream through to its message_stop", async () => {
    const { sink, sent } = recordingSink();
    const writer = createResponseWriter({ dialect: "anthropic", stream: true, sink, model: "m" });
    for (const event of [start("msg_1"), ...text("hello"), ...end()]) await writer.push(event);
    expect(writer.complete).toBe(true);
    expect(sent.chunks.join("")).toContain("event: message_stop");
  });
});
