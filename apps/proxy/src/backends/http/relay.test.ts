import { describe, expect, it } from "vitest";
import { answerSink, expectOne502, streamSink } from "../../../test/helpers/stream-sink.js";
import { upstreamOf } from "../../../test/helpers/upstream-response.js";
import { relayBody, relayHeaders, relayStream } from "./relay.js";
import type { UpstreamResponse } from "./upstream.js";

const KEY = "sk-canary-relay-3e9d7c5b1a2f4e6d8c0b";
const options = { dialect: "openai" as const, backend: "b", secrets: [KEY] };

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

  it("calls a stream finished by its closing event within its last 512 bytes", async () => {
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
    // Not an event stream at all: refused before anything is relayed (relay-refusal.test.ts).
    expect((await relay(['{"id":"x"}'], "openai", "application/json")).outcome).toEqual({
      error: "upstream_bad_response",
      status: 502,
    });
    expect(await relay(['{"id":"x"}'], "openai", "text/event-stream")).toEqual(cut);
  });
});

describe("relay redaction of what the upstream echoes", () => {
  it("redacts a native Responses stream's response.failed, whose error sits in its response", async () => {
    const failed = {
      type: "response.failed",
      sequence_number: 2,
      response: {
        id: "resp_1",
        object: "response",
        status: "failed",
        error: { code: "server_error", message: `Invalid API key provided: ${KEY}` },
        output: [],
      },
    };
    const created = {
      type: "response.created",
      sequence_number: 0,
      response: { id: "resp_1", error: null },
    };
    const { sink, writes } = streamSink();
    await relayStream({
      response: upstreamOf([
        `event: response.created\ndata: ${JSON.stringify(created)}\n\n`,
        `event: response.failed\ndata: ${JSON.stringify(failed)}\n\n`,
      ]),
      sink,
      ...options,
      dialect: "responses",
    });
    const text = writes.join("");
    expect(text).not.toContain(KEY);
    expect(text).toContain("[redacted]");
    // The event that held no error goes out byte for byte.
    expect(writes[0]).toBe(`event: response.created\ndata: ${JSON.stringify(created)}\n\n`);
    expect(JSON.parse(text.split("data: ")[2] ?? "").type).toBe("response.failed");
  });

  it("redacts the backend's secrets and key-shaped tokens in relayed response headers", () => {
    const headers = relayHeaders(
      {
        "content-type": "application/json",
        "x-request-id": `req_${KEY}`,
        "request-id": "req_011CSHoEeqs5C35K2UUqR7Fy0123456789abcdefXYZ",
        "x-ratelimit-remaining-tokens": "9000",
        "x-ratelimit-debug": "echo sk-proj-LEAKEDKEYSHAPE0123456789",
        "set-cookie": "not relayed",
      },
      [KEY],
    );
    expect(headers).toEqual({
      "content-type": "application/json",
      "x-request-id": "req_[redacted]",
      // A long request id is what a user quotes to the provider: kept.
      "request-id": "req_011CSHoEeqs5C35K2UUqR7Fy0123456789abcdefXYZ",
      "x-ratelimit-remaining-tokens": "9000",
      "x-ratelimit-debug": "echo [redacted]",
    });
  });
});

describe("relayStream: how the answer ended", () => {
  it("reports an upstream error event it relayed as upstream_error, for each protocol", async () => {
    const cases = [
      {
        dialect: "anthropic" as const,
        sse: `event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3}}}\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n`,
      },
      {
        dialect: "openai" as const,
        sse: `data: {"choices":[{"delta":{"content":"x"}}]}\n\ndata: {"error":{"message":"boom"}}\n\ndata: [DONE]\n\n`,
      },
      {
        dialect: "responses" as const,
        sse: `event: response.failed\ndata: {"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"boom"}}}\n\n`,
      },
    ];
    for (const { dialect, sse } of cases) {
      const { sink } = streamSink();
      const outcome = await relayStream({ response: upstreamOf([sse]), sink, ...options, dialect });
      expect(outcome.error, dialect).toBe("upstream_error");
    }
    // `"error":null` in a response that did not fail is no error.
    const { sink } = streamSink();
    const fine = await relayStream({
      response: upstreamOf([
        `event: response.completed\ndata: {"type":"response.completed","response":{"status":"completed","error":null}}\n\n`,
      ]),
      sink,
      ...options,
      dialect: "responses",
    });
    expect(fine.error).toBeUndefined();
  });

  it("joins an event read in many pieces once, boundary across reads included", async () => {
    const text = "x".repeat(200_000);
    const event = `data: {"choices":[{"delta":{"content":"${text}"}}]}\n`;
    const pieces: string[] = [];
    for (let i = 0; i < event.length; i += 1000) pieces.push(event.slice(i, i + 1000));
    // The blank line that ends the event comes alone, in the next read.
    pieces.push("\ndata: [DONE]\n\n");
    const { sink, writes } = streamSink();
    const outcome = await relayStream({ response: upstreamOf(pieces), sink, ...options });
    expect(outcome.error).toBeUndefined();
    expect(writes.join("")).toBe(`${event}\ndata: [DONE]\n\n`);
    // Held until the read that completes it, then sent with what followed it in that read.
    expect(writes).toHaveLength(1);
  });

  it("ends a stream whose event outgrows the bound with an error, without reading on", async () => {
    const piece = "y".repeat(1024 * 1024);
    let reads = 0;
    const chunks = (function* () {
      yield 'data: {"choices":[{"delta":{"content":"';
      for (let i = 0; i < 40; i++) {
        reads++;
        yield piece;
      }
    })();
    const started = performance.now();
    const { sink, writes, ended } = streamSink();
    const outcome = await relayStream({ response: upstreamOf([...chunks]), sink, ...options });
    expect(outcome.error).toBe("upstream_bad_response");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(reads).toBe(40);
    const last = writes.join("");
    expect(last).toMatch(/over 16 MiB/);
    expect(last).not.toContain("yyyy");
    expect(ended()).toBe(true);
  });
});

describe("relayBody", () => {
  function jsonUpstream(status: number, body: string): UpstreamResponse {
    const upstream = upstreamOf([], "application/json");
    upstream.status = status;
    upstream.body.bytes = async () => Buffer.from(body);
    return upstream;
  }

  it("answers an error object sent as a 200 with a 502 in the caller's protocol, redacted", async () => {
    for (const [dialect, body] of [
      ["openai", JSON.stringify({ object: "error", message: `bad key ${KEY}`, type: "x" })],
      [
        "anthropic",
        JSON.stringify({ type: "error", error: { type: "api_error", message: `bad key ${KEY}` } }),
      ],
    ] as const) {
      const { sink, sent } = answerSink();
      const outcome = await relayBody({
        response: jsonUpstream(200, body),
        sink,
        ...options,
        dialect,
      });
      expect(outcome).toEqual({ error: "upstream_error", status: 502 });
      const parsed = expectOne502(sent, dialect, "upstream b: bad key [redacted]", [KEY]);
      if (dialect !== "anthropic") expect(parsed.error.message).toContain("bad key");
    }
  });

  it("relays a 200 answer byte for byte, and a 4xx error body with its status", async () => {
    const answer = JSON.stringify({
      id: "x",
      choices: [],
      error: null,
      usage: { prompt_tokens: 1 },
    });
    const ok = answerSink();
    await relayBody({ response: jsonUpstream(200, answer), sink: ok.sink, ...options });
    expect(ok.sent).toEqual([{ status: 200, body: answer }]);
    const bad = answerSink();
    const err = JSON.stringify({ error: { message: `nope ${KEY}` } });
    await relayBody({ response: jsonUpstream(400, err), sink: bad.sink, ...options });
    expect(bad.sent[0]?.status).toBe(400);
    expect(bad.sent[0]?.body).not.toContain(KEY);
  });
});
