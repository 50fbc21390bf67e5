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
const CANARIES = [CANARY_OPENAI_KEY, CANARY_ANTHROPIC_KEY, SHAPED, OPAQUE];

/** An error object with a canary in every field an upstream may fill. */
const fields = (key: string) => ({
  message: `Incorrect API key provided: ${key} (${SHAPED})`,
  type: key,
  code: SHAPED,
  param: OPAQUE,
  [key]: { nested: [key, OPAQUE] },
});

type Shape = "json-error" | "stream-error-event" | "json-200-error";

/** Scripts both mock upstreams to answer with `shape`, each carrying its own backend key. */
function script(h: Harness, shape: Shape) {
  h.openai.handler = (_request: RecordedRequest, res: ServerResponse) => {
    const error = { error: fields(CANARY_OPENAI_KEY) };
    if (shape === "json-error") return sendJson(res, 401, error);
    if (shape === "json-200-error") return sendJson(res, 200, error);
    const chunk = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
    return sendSse(res, [
      `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { role: "assistant", content: "hi" }, finish_reason: null }] })}\n\n`,
      `data: ${JSON.stringify(error)}\n\n`,
    ]);
  };
  h.anthropic.handler = (_request: RecordedRequest, res: ServerResponse) => {
    const error = { type: "error", error: fields(CANARY_ANTHROPIC_KEY) };
    if (shape === "json-error") return sendJson(res, 401, error);
    if (shape === "json-200-error") return sendJson(res, 200, error);
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
    return sendSse(res, [
      `event: message_start\ndata: ${JSON.stringify(start)}\n\n`,
      `event: error\ndata: ${JSON.stringify(error)}\n\n`,
    ]);
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
    // The error still says what went wrong, redacted.
    if (shape !== "json-200-error") expect(text).toContain("[redacted]");
  });

  it("keeps them out of the request log and the logger too", () => {
    const seen = JSON.stringify(h.logs) + h.loggerLines.join("\n");
    for (const canary of CANARIES) expect(seen).not.toContain(canary);
  });
});
