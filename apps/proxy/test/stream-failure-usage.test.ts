/**
 * An upstream stream that dies after it reported usage: the client gets its protocol's error
 * ending, and the request log (from which the usage record is written) keeps the tokens the
 * upstream reported, on pass-through and translated paths alike, with the failure's code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, waitFor } from "./helpers/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.anthropic.handler = (_request, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [],
      usage: { input_tokens: 42, output_tokens: 1, cache_read_input_tokens: 7 },
    };
    res.write(
      `event: message_start\ndata: ${JSON.stringify({ type: "message_start", message })}\n\n`,
    );
    res.write(
      `event: content_block_start\ndata: ${JSON.stringify({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } })}\n\n`,
    );
    setTimeout(() => res.socket?.destroy(), 50);
  };
});
afterAll(async () => {
  await h.close();
});

const body = (extra: object) =>
  JSON.stringify({
    model: "claude-x",
    stream: true,
    messages: [{ role: "user", content: "hi" }],
    ...extra,
  });

describe("a stream that dies after its usage came", () => {
  it.each([
    ["/v1/messages", { max_tokens: 10 }],
    ["/v1/chat/completions", {}],
  ])("%s keeps the reported tokens in the log with the error", async (path, extra) => {
    const before = h.logs.length;
    const res = await fetch(`${h.server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: body(extra),
    });
    const text = await res.text();
    expect(text).toMatch(/error/);
    await waitFor(() => h.logs.length > before);
    const entry = h.logs.at(-1);
    expect(entry?.path).toBe(path);
    expect(entry?.error).toBe("upstream_unreachable");
    expect(entry?.inputTokens).toBe(42);
    expect(entry?.cacheReadTokens).toBe(7);
  });
});
