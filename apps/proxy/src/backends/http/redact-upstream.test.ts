import { describe, expect, it } from "vitest";
import {
  isErrorValue,
  mayHoldError,
  redactErrorBody,
  redactErrorEvents,
  redactJson,
  redactText,
} from "./redact-upstream.js";

const KEY = "canary-backend-key-1f2e3d4c5b6a";
const bytes = (text: string) => Buffer.from(text);

describe("redactText", () => {
  it("removes the backend's own keys and key-shaped tokens, and leaves error names alone", () => {
    expect(redactText(`bad key ${KEY}`, [KEY])).toBe("bad key [redacted]");
    expect(redactText("key sk-proj-abcdef123456 and gsk_0123456789abc", [])).toBe(
      "key [redacted] and [redacted]",
    );
    expect(redactText("a".repeat(45), [])).toBe("[redacted]");
    for (const name of [
      "invalid_request_error",
      "rate_limit_exceeded",
      "invalid_api_key",
      "api_error",
    ]) {
      expect(redactText(name, [])).toBe(name);
    }
  });
});

describe("redactJson", () => {
  it("redacts every string, keys included, at any depth, and keeps numbers and nulls", () => {
    expect(redactJson({ error: { [KEY]: [KEY, 1, null, { deep: `x ${KEY}` }] } }, [KEY])).toEqual({
      error: { "[redacted]": ["[redacted]", 1, null, { deep: "x [redacted]" }] },
    });
  });

  it("drops what is nested deeper than 32 levels instead of recursing without bound", () => {
    let deep: unknown = KEY;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(JSON.stringify(redactJson(deep, [KEY]))).not.toContain(KEY);
  });
});

describe("mayHoldError", () => {
  it.each([
    ['data: {"error":{"message":"x"}}\n\n', true],
    ['event: error\ndata: {"type":"error"}\n\n', true],
    ["event:error\ndata: x\n\n", true],
    ['data: {"object":"error","message":"x"}\n\n', true],
    ['data: {"choices":[{"delta":{"content":"an error, an \\"error\\""}}]}\n\n', false],
    ['event: content_block_delta\ndata: {"type":"content_block_delta"}\n\n', false],
    ["error", false],
    ["", false],
    // Every Responses object carries `"error":null`; no error does.
    [
      'data: {"type":"response.created","response":{"error":null,"status":"in_progress"}}\n\n',
      false,
    ],
    ['data: {"response":{"error" : null}}\n\n', false],
    ['data: {"response":{"error":null},"x":{"error":{"message":"m"}}}\n\n', true],
    ['data: {"response":{"error":{"code":"server_error"}}}\n\n', true],
    ['data: {"error":"nullable"}\n\n', true],
    // A failed response is looked into whatever its error says.
    ['data: {"type":"response.failed","response":{"error":null,"x":"k"}}\n\n', true],
  ])("%j → %s", (text, expected) => {
    expect(mayHoldError(bytes(text))).toBe(expected);
  });
});

describe("mayHoldError on a long buffer (the SIMD search)", () => {
  const events =
    'data: {"object":"chat.completion.chunk","choices":[{"delta":{"content":"more"}}]}\n\n'.repeat(
      20,
    );

  it.each([
    ['data: {"error":{"message":"x"}}\n\n', true],
    ["event:error\ndata: x\n\n", true],
    ['data: {"choices":[{"delta":{"content":"an \\"error\\""}}]}\n\n', false],
    ["data: terror\n\n", false],
  ])("%j among 20 other events → %s", (text, expected) => {
    expect(mayHoldError(bytes(events + text + events))).toBe(expected);
    expect(mayHoldError(bytes(events + text))).toBe(expected);
  });
});

describe("isErrorValue", () => {
  it("knows the three error shapes", () => {
    expect(isErrorValue({ error: { message: "x" } })).toBe(true);
    expect(isErrorValue({ type: "error", error: {} })).toBe(true);
    expect(isErrorValue({ object: "error", message: "x" })).toBe(true);
    expect(isErrorValue({ error: null, choices: [] })).toBe(false);
    expect(isErrorValue(["error"])).toBe(false);
  });
});

describe("redactErrorEvents", () => {
  it("rewrites error events only; other events keep their exact bytes", () => {
    const text = `event: ping\r\ndata: {"type":"ping"}\r\n\r\nevent: error\ndata: {"type":"error","error":{"type":"${KEY}","message":"m ${KEY}"}}\n\ndata: {"text":"error"}\n\n`;
    expect(redactErrorEvents(text, [KEY])).toBe(
      'event: ping\r\ndata: {"type":"ping"}\r\n\r\nevent: error\ndata: {"type":"error","error":{"type":"[redacted]","message":"m [redacted]"}}\n\ndata: {"text":"error"}\n\n',
    );
  });

  it("redacts an error event whose data is not JSON, and a bare JSON error body", () => {
    expect(redactErrorEvents(`event: error\ndata: oops ${KEY}\n\n`, [KEY])).toBe(
      "event: error\ndata: oops [redacted]\n\n",
    );
    expect(redactErrorEvents(`{"error":{"code":"${KEY}"}}`, [KEY])).toBe(
      '{"error":{"code":"[redacted]"}}',
    );
  });
});

describe("redactErrorBody", () => {
  it("redacts an error body and says nothing of one that is not an error", () => {
    expect(redactErrorBody(`{"error":{"type":"${KEY}"}}`, [KEY])).toBe(
      '{"error":{"type":"[redacted]"}}',
    );
    expect(redactErrorBody('{"id":"x","error":null}', [KEY])).toBeUndefined();
    expect(redactErrorBody("not json", [KEY])).toBeUndefined();
  });
});
