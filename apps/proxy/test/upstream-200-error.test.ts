/**
 * An upstream that answers 200 with an error object (some OpenAI-compatible servers do): on a
 * translated path the client gets a 502 in its own protocol carrying the upstream's message
 * (redacted), logged as an upstream error, not an "unexpected" failure of the proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CANARY_ANTHROPIC_KEY,
  CANARY_OPENAI_KEY,
  type Harness,
  startHarness,
  waitFor,
} from "./helpers/harness.js";
import { sendJson } from "./helpers/mock-upstream.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.anthropic.handler = (_request, res) =>
    sendJson(res, 200, {
      type: "error",
      error: { type: "overloaded_error", message: `busy, key ${CANARY_ANTHROPIC_KEY}` },
    });
  h.openai.handler = (_request, res) =>
    sendJson(res, 200, { object: "error", message: `bad key ${CANARY_OPENAI_KEY}`, type: "x" });
});
afterAll(async () => {
  await h.close();
});

describe("a 200 that is an error object, on translated paths", () => {
  it.each([
    ["/v1/chat/completions", "claude-x", "busy, key [redacted]"],
    ["/v1/responses", "claude-x", "busy, key [redacted]"],
    ["/v1/messages", "gpt-x", "bad key [redacted]"],
    ["/v1/responses", "gpt-x", "bad key [redacted]"],
  ])("%s on %s: a 5xx with the upstream's message", async (path, model, message) => {
    const before = h.logs.length;
    const body =
      path === "/v1/responses"
        ? { model, input: "hi" }
        : { model, max_tokens: 10, messages: [{ role: "user", content: "hi" }] };
    const res = await fetch(`${h.server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    // 502, or what the upstream error type says (Anthropic overloaded_error → 503).
    expect([502, 503]).toContain(res.status);
    expect(text).toContain(message);
    expect(text).not.toContain("sk-");
    if (path === "/v1/messages") expect(JSON.parse(text).type).toBe("error");
    else expect(JSON.parse(text).error.message).toContain(message);
    await waitFor(() => h.logs.length > before);
    expect(h.logs.at(-1)?.error).toBe("upstream_error");
    expect(h.loggerLines.join("\n")).not.toMatch(/unexpected/);
  });
});
