/**
 * Streams that fail after they started: the client gets its protocol's error ending, and the
 * request log, the usage record and /analytics count the request as failed, with the tokens
 * the upstream reported before the failure, on pass-through and translated paths alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readUsageRecords } from "../src/usage/read-usage.js";
import { usageLogDir } from "../src/usage/usage-fs.js";
import { type Harness, startHarness, waitFor } from "./helpers/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.anthropic.handler = (request, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [],
      usage: { input_tokens: 42, output_tokens: 1, cache_read_input_tokens: 7 },
    };
    const ev = (e: Record<string, unknown>) =>
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    ev({ type: "message_start", message });
    ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    if (String(request.body?.model).includes("gone")) {
      // The answer goes on for a while: the client leaves in the middle of it.
      ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hel" } });
      setTimeout(() => res.end(), 2_000);
      return;
    }
    if (String(request.body?.model).includes("inband")) {
      ev({ type: "error", error: { type: "overloaded_error", message: "busy" } });
      res.end();
      return;
    }
    setTimeout(() => res.socket?.destroy(), 50);
  };
});
afterAll(async () => {
  await h.close();
});

const bodyFor = (path: string, model: string) =>
  JSON.stringify(
    path === "/v1/responses"
      ? { model, stream: true, input: "hi" }
      : {
          model,
          stream: true,
          messages: [{ role: "user", content: "hi" }],
          ...(path === "/v1/messages" ? { max_tokens: 10 } : {}),
        },
  );

async function call(path: string, model: string) {
  const before = h.logs.length;
  const res = await fetch(`${h.server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: bodyFor(path, model),
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  await waitFor(() => h.logs.length > before);
  return { text, entry: h.logs.at(-1) };
}

/** The usage record of the latest request for `model` (the log's writer flushes within 100 ms). */
async function recordOf(model: string) {
  // Bounded: the writer's window is 100 ms.
  for (let i = 0; i < 100; i++) {
    const { records } = await readUsageRecords({ dir: usageLogDir(h.config.home) });
    const found = records.filter((r) => r.model === model).at(-1);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no usage record for ${model}`);
}

describe("a stream that fails after it started", () => {
  it.each([
    ["/v1/messages", "claude-die-a"],
    ["/v1/chat/completions", "claude-die-b"],
    ["/v1/responses", "claude-die-c"],
  ])(
    "%s: a dead connection keeps the reported tokens, in the log and the usage record",
    async (path, model) => {
      const { text, entry } = await call(path, model);
      expect(text).toMatch(/error|response\.failed/);
      expect(entry).toMatchObject({
        path,
        error: "upstream_unreachable",
        inputTokens: 42,
        cacheReadTokens: 7,
      });
      expect(await recordOf(model)).toMatchObject({
        status: 200,
        error: "upstream_unreachable",
        inputTokens: 42,
        cacheReadTokens: 7,
      });
    },
  );

  it.each([
    ["/v1/messages", "claude-inband-a"],
    ["/v1/chat/completions", "claude-inband-b"],
    ["/v1/responses", "claude-inband-c"],
  ])(
    "%s: an upstream error event is an error in the usage record and /analytics",
    async (path, model) => {
      const { entry } = await call(path, model);
      expect(entry).toMatchObject({ path, error: "upstream_error", inputTokens: 42 });
      expect(await recordOf(model)).toMatchObject({ status: 200, error: "upstream_error" });
      const analytics = (await (await fetch(`${h.server.url}/analytics?by=model`)).json()) as {
        rows: Array<{ key: string; requests: number; errors: number }>;
      };
      expect(analytics.rows.find((r) => r.key === model)).toMatchObject({ requests: 1, errors: 1 });
    },
  );
});

describe("a client that goes away in the middle of a stream", () => {
  it.each([
    ["/v1/messages", "claude-gone-a"],
    ["/v1/chat/completions", "claude-gone-b"],
    ["/v1/responses", "claude-gone-c"],
  ])(
    "%s: the log and the usage record agree (200, client_closed), and it is no error in /analytics",
    async (path, model) => {
      const before = h.logs.length;
      const abort = new AbortController();
      const res = await fetch(`${h.server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body: bodyFor(path, model),
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      abort.abort();
      await waitFor(() => h.logs.length > before);
      const entry = h.logs.at(-1);
      expect(entry).toMatchObject({ path, status: 200, clientClosed: true });
      const record = await recordOf(model);
      expect(record).toMatchObject({ status: 200, error: "client_closed", inputTokens: 42 });
      const analytics = (await (await fetch(`${h.server.url}/analytics?by=model`)).json()) as {
        rows: Array<{ key: string; requests: number; errors: number }>;
      };
      expect(analytics.rows.find((r) => r.key === model)).toMatchObject({ requests: 1, errors: 0 });
    },
  );
});
