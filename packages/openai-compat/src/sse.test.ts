import { describe, expect, it } from "vitest";
import { TranslationError } from "./errors.js";
import { createSseDecoder, serializeSseEvent } from "./sse.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("createSseDecoder", () => {
  it("parses event, data and id fields and ignores comments", () => {
    const decoder = createSseDecoder();
    const out = decoder.push(
      ': keep-alive\nevent: ping\nid: 7\ndata: {"type":"ping"}\n\ndata: x\n\n',
    );
    expect(out).toEqual([{ event: "ping", id: "7", data: '{"type":"ping"}' }, { data: "x" }]);
    expect(decoder.end()).toEqual([]);
  });

  it("joins multi-line data and accepts CRLF line endings", () => {
    const decoder = createSseDecoder();
    expect(decoder.push("data: a\r\ndata: b\r\n\r\n")).toEqual([{ data: "a\nb" }]);
  });

  it("keeps a UTF-8 code point split across byte chunks whole", () => {
    const decoder = createSseDecoder();
    const all = bytes("data: 東京 👋\n\n");
    const out = [];
    // Split inside the 3-byte 東 and inside the 4-byte emoji.
    for (const [from, to] of [
      [0, 7],
      [7, 15],
      [15, all.length],
    ] as const) {
      out.push(...decoder.push(all.subarray(from, to)));
    }
    expect(out).toEqual([{ data: "東京 👋" }]);
  });

  it("returns an event only once its blank line arrives", () => {
    const decoder = createSseDecoder();
    expect(decoder.push('data: {"a":')).toEqual([]);
    expect(decoder.push("1}\n")).toEqual([]);
    expect(decoder.push("\n")).toEqual([{ data: '{"a":1}' }]);
  });

  it("on end, dispatches complete lines lacking the final blank line", () => {
    const decoder = createSseDecoder();
    expect(decoder.push("data: [DONE]\n")).toEqual([]);
    expect(decoder.end()).toEqual([{ data: "[DONE]" }]);
  });

  it("on end, discards a half-received line", () => {
    const decoder = createSseDecoder();
    decoder.push('data: {"type":"content_bl');
    expect(decoder.end()).toEqual([]);
  });

  it("throws TranslationError invalid_response when an event outgrows maxBufferSize", () => {
    const decoder = createSseDecoder({ maxBufferSize: 16 });
    const error = (() => {
      try {
        decoder.push(`data: ${"x".repeat(64)}`);
      } catch (e) {
        return e;
      }
    })();
    expect(TranslationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "invalid_response", status: 502 });
  });
});

describe("serializeSseEvent", () => {
  it("writes Anthropic-style events with an event line", () => {
    expect(serializeSseEvent({ event: "message_stop", data: { type: "message_stop" } })).toBe(
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
  });

  it("writes OpenAI-style data-only events and the DONE marker verbatim", () => {
    expect(serializeSseEvent({ data: { a: 1 } })).toBe('data: {"a":1}\n\n');
    expect(serializeSseEvent({ data: "[DONE]" })).toBe("data: [DONE]\n\n");
  });

  it("splits a payload with newlines into several data lines that decode back", () => {
    const text = serializeSseEvent({ data: "one\ntwo\r\nthree" });
    expect(text).toBe("data: one\ndata: two\ndata: three\n\n");
    expect(createSseDecoder().push(text)).toEqual([{ data: "one\ntwo\nthree" }]);
  });
});
