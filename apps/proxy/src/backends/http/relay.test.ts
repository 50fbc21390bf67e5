import { describe, expect, it } from "vitest";
import { streamSink } from "../../../test/helpers/stream-sink.js";
import { relayStream } from "./relay.js";
import type { UpstreamResponse } from "./upstream.js";

const KEY = "sk-canary-relay-3e9d7c5b1a2f4e6d8c0b";
const options = { dialect: "openai" as const, backend: "b", secrets: [KEY] };

function upstreamOf(chunks: string[], contentType = "text/event-stream"): UpstreamResponse {
  const body = (async function* () {
    for (const c of chunks) yield Buffer.from(c);
  })();
  return {
    status: 200,
    headers: { "content-type": contentType },
    body: Object.assign(body, {
      bytes: async () => Buffer.alloc(0),
      text: async () => "",
      destroy: () => {},
      dump: async () => {},
    }),
    mapError: (e) => e,
  };
}

describe("relayStream", () => {
  it("forwards only complete events per write, for LF and CRLF streams, and flushes the rest at the end", async () => {
    const { sink, writes, ended } = streamSink();
    await relayStream({
      response: upstreamOf([
        "data: a\n\ndata: b",
        "\n\n",
        "data: c\r\n\r\ndata: d\r",
        "\n\r\n",
        "data: [DO",
        "NE]",
      ]),
      sink,
      ...options,
    });
    expect(writes).toEqual([
      "data: a\n\n",
      "data: b\n\n",
      "data: c\r\n\r\n",
      "data: d\r\n\r\n",
      "data: [DONE]",
    ]);
    expect(ended()).toBe(true);
  });

  it("reads usage from the stream after relaying it", async () => {
    const { sink } = streamSink();
    const outcome = await relayStream({
      response: upstreamOf([
        'data: {"choices":[]}\n\n',
        'data: {"usage":{"prompt_tokens":9,"completion_tokens":4}}\n\ndata: [DONE]\n\n',
      ]),
      sink,
      ...options,
    });
    expect(outcome).toEqual({ usage: { inputTokens: 9, outputTokens: 4 } });
  });

  it("passes events that only mention an error untouched, as the same bytes", async () => {
    const { sink, writes } = streamSink();
    const text = 'data: {"choices":[{"delta":{"content":"an \\"error\\" of sk-ab12cd34ef"}}]}\n\n';
    await relayStream({ response: upstreamOf([text, "data: [DONE]\n\n"]), sink, ...options });
    expect(writes).toEqual([text, "data: [DONE]\n\n"]);
  });

  it("redacts every field of an error event, and leaves the events around it as they were", async () => {
    const { sink, writes } = streamSink();
    const before = 'data: {"choices":[{"delta":{"content":"hi"}}]}\n\n';
    const error = `data: {"error":{"message":"bad ${KEY}","type":"${KEY}","code":"sk-other-98765xyz","param":{"${KEY}":1}}}\n\n`;
    await relayStream({ response: upstreamOf([before + error]), sink, ...options });
    const out = writes.join("");
    expect(out.startsWith(before)).toBe(true);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain("sk-other-98765xyz");
    const event = JSON.parse(out.slice(before.length).replace(/^data: /, ""));
    expect(event).toEqual({
      error: {
        message: "bad [redacted]",
        type: "[redacted]",
        code: "[redacted]",
        param: { "[redacted]": 1 },
      },
    });
  });

  it("redacts an error event in a long read of many events (the SIMD search) and no other byte", async () => {
    const { sink, writes } = streamSink();
    const delta = (i: number) => `data: {"choices":[{"delta":{"content":"word${i} "}}]}\n\n`;
    const before = Array.from({ length: 40 }, (_, i) => delta(i)).join("");
    const after = `${Array.from({ length: 40 }, (_, i) => delta(i + 40)).join("")}data: [DONE]\n\n`;
    const error = `event: error\ndata: {"type":"error","error":{"message":"bad ${KEY}"}}\n\n`;
    await relayStream({ response: upstreamOf([before + error + after]), sink, ...options });
    const out = writes.join("");
    expect(out).not.toContain(KEY);
    expect(out).toBe(
      `${before}event: error\ndata: {"type":"error","error":{"message":"bad [redacted]"}}\n\n${after}`,
    );
  });

  it("ends a stream that stopped before [DONE] with an OpenAI error chunk, dropping the half event", async () => {
    const { sink, writes, ended } = streamSink();
    const outcome = await relayStream({
      response: upstreamOf(['data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: {"half']),
      sink,
      ...options,
    });
    expect(outcome).toEqual({ error: "upstream_incomplete" });
    expect(writes[1]).toMatch(
      /^data: \{"error":\{"message":"upstream b ended the stream before \[DONE\]/,
    );
    expect(writes.join("")).not.toContain("half");
    expect(ended()).toBe(true);
  });

  it("ends an Anthropic stream without message_stop with an error event", async () => {
    const { sink, writes } = streamSink();
    await relayStream({
      response: upstreamOf(['event: ping\ndata: {"type":"ping"}\n\n']),
      sink,
      ...options,
      dialect: "anthropic",
    });
    expect(writes[1]).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
  });

  it("calls a stream finished by its closing event within its last 512 bytes, or by the content type of a JSON answer", async () => {
    const relay = async (chunks: string[], dialect: "openai" | "anthropic", type?: string) => {
      const { sink, writes } = streamSink();
      const outcome = await relayStream({
        response: upstreamOf(chunks, type),
        sink,
        ...options,
        dialect,
      });
      return { outcome, errorWritten: writes.some((w) => w.includes("ended the stream")) };
    };
    const done = { outcome: {}, errorWritten: false };
    const cut = { outcome: { error: "upstream_incomplete" }, errorWritten: true };
    const comments = ": keep-alive\n\n".repeat(50); // 700 bytes of SSE comments
    // The marker in the last complete event, in the held-back rest, or split across reads.
    expect(await relay(["data: x\n\ndata: [DONE]\n\n"], "openai")).toEqual(done);
    expect(await relay(["data: x\n\n", "data: [DO", "NE]"], "openai")).toEqual(done);
    expect(await relay(["event: message_stop\ndata: {}\n\n"], "anthropic")).toEqual(done);
    expect(await relay(["data: x\n\n", "event: message_st", "op\ndata: {}"], "anthropic")).toEqual(
      done,
    );
    // No [DONE], but a finish_reason: finished.
    expect(await relay(['data: {"finish_reason": "stop"}\n\n'], "openai")).toEqual(done);
    // The marker further back than the tail that is looked at: incomplete.
    expect(await relay([`data: [DONE]\n\n${comments}`], "openai")).toEqual(cut);
    expect(await relay([`event: message_stop\ndata: {}\n\n${comments}`], "anthropic")).toEqual(cut);
    // Not an event stream at all: never called incomplete.
    expect(await relay(['{"id":"x"}'], "openai", "application/json")).toEqual(done);
    expect(await relay(['{"id":"x"}'], "openai", "text/event-stream")).toEqual(cut);
  });
});
