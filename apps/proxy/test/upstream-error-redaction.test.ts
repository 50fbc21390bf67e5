import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CANARY_ANTHROPIC_KEY,
  CANARY_OPENAI_KEY,
  type Harness,
  startHarness,
} from "./helpers/harness.js";
import { type RecordedRequest, sendJson, sendSse } from "./helpers/mock-upstream.js";

/** Key-shaped strings no config holds: redacted by shape. */
const SHAPED = "sk-live-7d3f9a1b2c4e6f80";
const OPAQUE = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8";
/** A key as an upstream may echo it base64-encoded (in a `Basic` credential, say). */
const b64 = (key: string) => Buffer.from(`user:${key}`).toString("base64");
const CANARIES = [
  CANARY_OPENAI_KEY,
  CANARY_ANTHROPIC_KEY,
  SHAPED,
  OPAQUE,
  b64(CANARY_OPENAI_KEY).slice(8),
  b64(CANARY_ANTHROPIC_KEY).slice(8),
];

/** An error object with a canary in every field an upstream may fill. */
const fields = (key: string) => ({
  message: `Incorrect API key provided: ${key} (${SHAPED}), sent as ${b64(key)}`,
  type: key,
  code: SHAPED,
  param: OPAQUE,
  [key]: { nested: [key, OPAQUE] },
});

type Shape =
  | "json-error"
  | "stream-error-event"
  | "json-200-error"
  | "json-200-error-array"
  | "cr-stream-error-event"
  | "event-stream-for-json";

/** SSE events with lines ending in a lone CR (valid SSE, rarely seen). */
const withCr = (events: string[]) => events.map((e) => e.replaceAll("\n", "\r"));

/** Scripts both mock upstreams to answer with `shape`, each carrying its own backend key. */
function script(h: Harness, shape: Shape) {
  h.openai.handler = (_request: RecordedRequest, res: ServerResponse) => {
    const error = { error: fields(CANARY_OPENAI_KEY) };
    const echo = { "x-request-id": b64(CANARY_OPENAI_KEY) };
    if (shape === "json-error") return sendJson(res, 401, error, echo);
    if (shape === "json-200-error") return sendJson(res, 200, error, echo);
    if (shape === "json-200-error-array") return sendJson(res, 200, [error], echo);
    const chunk = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
    const events = [
      `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { role: "assistant", content: "hi" }, finish_reason: null }] })}\n\n`,
      `data: ${JSON.stringify(error)}\n\n`,
    ];
    return sendSse(res, shape === "cr-stream-error-event" ? withCr(events) : events);
  };
  h.anthropic.handler = (_request: RecordedRequest, res: ServerResponse) => {
    const error = { type: "error", error: fields(CANARY_ANTHROPIC_KEY) };
    const echo = { "request-id": b64(CANARY_ANTHROPIC_KEY) };
    if (shape === "json-error") return sendJson(res, 401, error, echo);
    if (shape === "json-200-error") return sendJson(res, 200, error, echo);
    if (shape === "json-200-error-array") return sendJson(res, 200, [error], echo);
    const start = {
      type: "message_start",
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "m",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 1 },
      },
    };
    const events = [
      `event: message_start\ndata: ${JSON.stringify(start)}\n\n`,
      `event: error\ndata: ${JSON.stringify(error)}\n\n`,
    ];
    return sendSse(res, shape === "cr-stream-error-event" ? withCr(events) : events);
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** Every path: pass-through and translated, in each caller dialect. */
const paths = [
  { name: "openai pass-through", path: "/v1/chat/completions", model: "gpt-mock-1" },
  { name: "anthropic pass-through", path: "/v1/messages", model: "claude-mock" },
  {
    name: "openai caller → anthropic upstream",
    path: "/v1/chat/completions",
    model: "claude-mock",
  },
  { name: "anthropic caller → openai upstream", path: "/v1/messages", model: "gpt-mock-1" },
];

const cases = paths.flatMap((p) => [
  { ...p, shape: "json-error" as const, stream: false },
  { ...p, shape: "json-error" as const, stream: true },
  { ...p, shape: "stream-error-event" as const, stream: true },
  { ...p, shape: "json-200-error" as const, stream: false },
  { ...p, shape: "json-200-error" as const, stream: true },
  { ...p, shape: "json-200-error-array" as const, stream: false },
  { ...p, shape: "json-200-error-array" as const, stream: true },
  { ...p, shape: "cr-stream-error-event" as const, stream: true },
  // An event stream (holding an error event) to a request that asked for JSON.
  { ...p, shape: "event-stream-for-json" as const, stream: false },
]);

describe("secrets in upstream errors never reach the client", () => {
  it.each(cases)("$name, $shape, stream $stream", async ({ path, model, shape, stream }) => {
    script(h, shape);
    const res = await fetch(`${h.server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model,
        max_tokens: 16,
        stream,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    const text = await res.text();
    const headers = JSON.stringify([...res.headers]);
    for (const canary of CANARIES) {
      expect(text).not.toContain(canary);
      expect(headers).not.toContain(canary);
    }
    // The error still says what went wrong, redacted; an answer that is not one is a 502.
    if (shape === "json-error" || shape === "stream-error-event") {
      expect(text).toContain("[redacted]");
    }
    if (shape.startsWith("json-200") || shape === "event-stream-for-json") {
      expect(res.status).toBe(502);
    }
  });

  it("keeps them out of the request log and the logger too", () => {
    const seen = JSON.stringify(h.logs) + h.loggerLines.join("\n");
    for (const canary of CANARIES) expect(seen).not.toContain(canary);
  });
});
