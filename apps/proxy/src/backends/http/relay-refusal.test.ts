import { describe, expect, it } from "vitest";
import { answerSink, expectOne502, streamSink } from "../../../test/helpers/stream-sink.js";
import { upstreamOf } from "../../../test/helpers/upstream-response.js";
import { encodedForms, redactText, withEncodedForms } from "./redact-upstream.js";
import { relayBody, relayStream } from "./relay.js";

// What an upstream may answer that must never reach the client as an answer, nor carry the
// backend's key out (hostile and secret audits of 2026-12-07).

const KEY = "sk-canary-refusal-8c1d2e3f4a5b6c7d";
const PLAIN = "CANARYplainkey777abc";
const secrets = withEncodedForms([KEY, PLAIN]);
const options = { backend: "b", secrets };

/** A non-streamed OpenAI answer of `body` relayed: what the relay learnt and what it sent. */
async function relayJson(body: string) {
  const { sink, sent } = answerSink();
  const outcome = await relayBody({
    response: upstreamOf([body], "application/json"),
    sink,
    ...options,
    dialect: "openai",
  });
  return { outcome, sent };
}

const leaks = (text: string) =>
  [KEY, PLAIN, ...encodedForms(KEY), ...encodedForms(PLAIN)].filter((s) => text.includes(s));

describe("a 2xx answer that is not one", () => {
  it("refuses a non-streamed body that is not JSON (a page, an event stream) with a 502 that echoes none of it", async () => {
    for (const [type, body] of [
      ["application/json", "<html>bad gateway</html>"],
      ["text/event-stream", `data: {"error":{"message":"bad key ${KEY}"}}\n\n`],
      ["application/json", '{"id":"chatcmpl-1","choices":['],
      ["application/json", ""],
    ]) {
      for (const dialect of ["openai", "anthropic", "responses"] as const) {
        const { sink, sent } = answerSink();
        const outcome = await relayBody({
          response: upstreamOf([body as string], type as string),
          sink,
          ...options,
          dialect,
        });
        expect(outcome).toEqual({ error: "upstream_bad_response", status: 502 });
        const text = "upstream b answered with a body that is not valid JSON";
        const parsed = expectOne502(sent, dialect, text, []);
        expect(leaks(sent[0]?.body ?? "")).toEqual([]);
        if (dialect !== "anthropic") expect(parsed.error.code).toBe("upstream_bad_response");
      }
    }
  });

  it("still relays a JSON answer byte for byte, blanks around it included", async () => {
    const body = ' \n{"id":"chatcmpl-1","choices":[]}\n';
    const { outcome, sent } = await relayJson(body);
    expect(outcome).toEqual({});
    expect(sent).toEqual([{ status: 200, body }]);
  });

  it("answers Google's 2xx error array with a 502 carrying its message, redacted", async () => {
    const body = JSON.stringify([
      { error: { code: 401, message: `API key not valid: ${PLAIN}`, status: "UNAUTHENTICATED" } },
    ]);
    const { outcome, sent } = await relayJson(body);
    expect(outcome).toEqual({ error: "upstream_error", status: 502 });
    expect(sent[0]?.status).toBe(502);
    expect(sent[0]?.body).toContain("upstream b: API key not valid: [redacted]");
    expect(leaks(sent[0]?.body ?? "")).toEqual([]);
  });

  it("refuses a streaming request answered with JSON: the upstream's error when it is one, else a 502 naming the type only", async () => {
    const error = JSON.stringify({ error: { message: `oops ${KEY}`, type: "server_error" } });
    for (const dialect of ["openai", "anthropic", "responses"] as const) {
      const failed = answerSink();
      const outcome = await relayStream({
        response: upstreamOf([error], "application/json; charset=utf-8"),
        sink: failed.sink,
        ...options,
        dialect,
      });
      expect(outcome).toEqual({ error: "upstream_error", status: 502 });
      expect(failed.sent[0]?.body).toContain("upstream b: oops [redacted]");
      expect(failed.writes).toEqual([]);
      if (dialect === "anthropic")
        expect(JSON.parse(failed.sent[0]?.body ?? "").type).toBe("error");

      const page = answerSink();
      const refused = await relayStream({
        response: upstreamOf(["<html>login</html>"], `text/html; ${PLAIN}`),
        sink: page.sink,
        ...options,
        dialect,
      });
      expect(refused).toEqual({ error: "upstream_bad_response", status: 502 });
      expect(page.sent[0]?.body).toContain(
        "upstream b answered a streaming request with text/html, not an event stream",
      );
      expect(leaks(page.sent[0]?.body ?? "")).toEqual([]);
    }
  });
});

describe("an event stream whose lines end in a lone CR (valid SSE)", () => {
  it("is cut into events and its error events are redacted", async () => {
    const text = 'data: {"choices":[{"delta":{"content":"hi"}}]}\r\r';
    const error = `data: {"error":{"message":"bad key ${PLAIN}","code":"${KEY}"}}\r\r`;
    // The error event split across reads, as TCP may deliver it.
    const chunks = [text, error.slice(0, 30), error.slice(30), "data: [DONE]\r\r"];
    const { sink, writes } = streamSink();
    const outcome = await relayStream({
      response: upstreamOf(chunks, "text/event-stream"),
      sink,
      ...options,
      dialect: "openai",
    });
    expect(outcome.error).toBe("upstream_error");
    expect(writes[0]).toBe(text);
    const all = writes.join("");
    expect(all).toContain('"message":"bad key [redacted]"');
    expect(leaks(all)).toEqual([]);
    expect(all.endsWith("data: [DONE]\r\r")).toBe(true);
  });

  it("keeps the bytes of CR, LF and CRLF events that are not errors", async () => {
    const events = [
      "data: a\r\r",
      "data: b\n\n",
      "data: c\r\n\r\n",
      "data: d\n\r\n",
      "data: [DONE]\r\r",
    ];
    const { sink, writes } = streamSink();
    await relayStream({
      response: upstreamOf(events, "text/event-stream"),
      sink,
      ...options,
      dialect: "openai",
    });
    expect(writes).toEqual(events);
  });
});

describe("base64 forms of a secret", () => {
  it("are found whatever bytes surround the secret, standard or URL-safe", () => {
    for (const secret of [KEY, PLAIN, "ключ-секрет-λ-0123456789"]) {
      for (const before of ["", "a", "ab", "Bearer ", "user:"]) {
        for (const after of ["", "x", "yz", "\n"]) {
          const b64 = Buffer.from(`${before}${secret}${after}`).toString("base64");
          for (const encoded of [b64, b64.replaceAll("+", "-").replaceAll("/", "_")]) {
            const redacted = redactText(`token ${encoded} end`, withEncodedForms([secret]));
            expect(redacted, `${before}|${secret}|${after}`).toContain("[redacted]");
            expect(Buffer.from(redacted, "base64").toString()).not.toContain(secret);
          }
        }
      }
    }
  });

  it("are not made for short secrets, and do not touch text without the secret", () => {
    expect(encodedForms("abcdefg")).toEqual([]);
    const text = `c2stY2FuYXJ5 ${Buffer.from("another-key-entirely-1234").toString("base64")}`;
    expect(redactText(text, withEncodedForms([PLAIN]))).toBe(text);
  });
});
