/**
 * `/v1/responses` on an Anthropic upstream logs the same token split as `/v1/messages` for the
 * same answer: cache reads and cache writes apart from plain input (they are priced apart).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, waitFor } from "./helpers/harness.js";
import { sendJson } from "./helpers/mock-upstream.js";

const usage = {
  input_tokens: 100,
  cache_creation_input_tokens: 20,
  cache_read_input_tokens: 300,
  output_tokens: 57,
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.anthropic.handler = (request, res) => {
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [{ type: "text", text: "Hi" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage,
    };
    if (request.body?.stream !== true) return sendJson(res, 200, message);
    res.writeHead(200, { "content-type": "text/event-stream" });
    const ev = (e: Record<string, unknown>) =>
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    ev({
      type: "message_start",
      message: { ...message, content: [], usage: { ...usage, output_tokens: 1 } },
    });
    ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } });
    ev({ type: "content_block_stop", index: 0 });
    ev({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 57 } });
    ev({ type: "message_stop" });
    res.end();
  };
});
afterAll(async () => {
  await h.close();
});

describe("/v1/responses usage on an Anthropic upstream", () => {
  it.each([false, true])("stream %s: input, cache reads and cache writes apart", async (stream) => {
    const before = h.logs.length;
    const res = await fetch(`${h.server.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-x", input: "hi", stream }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('"cache_write_tokens":20');
    await waitFor(() => h.logs.length > before);
    expect(h.logs.at(-1)).toMatchObject({
      path: "/v1/responses",
      inputTokens: 100,
      cacheReadTokens: 300,
      cacheWriteTokens: 20,
      outputTokens: 57,
    });
  });
});
