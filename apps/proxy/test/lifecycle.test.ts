import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** An OpenAI-style SSE upstream that sends `count` chunks, `gapMs` apart. */
async function slowUpstream(count: number, gapMs: number): Promise<MockUpstream> {
  const mock = await startMockUpstream(async (_r, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (let i = 0; i < count && !res.destroyed; i++) {
      res.write(
        `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: `t${i} ` }, finish_reason: null }] })}\n\n`,
      );
      await new Promise((r) => setTimeout(r, gapMs));
    }
    if (!res.destroyed) {
      res.write(
        `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
      );
      res.end("data: [DONE]\n\n");
    }
  });
  cleanups.push(() => mock.close());
  return mock;
}

async function proxyFor(
  upstreamUrl: string,
  timeouts: Partial<Record<string, number>> = {},
): Promise<RunningServer> {
  const server = await startServer({
    config: testConfig({
      backends: {
        echo: { type: "echo" },
        up: { type: "openai", baseUrl: `${upstreamUrl}/v1`, apiKey: "k", timeouts },
      },
      defaultBackend: "up",
    }),
    version: "t",
  });
  cleanups.push(() => server.close(0));
  return server;
}

const chat = (stream: boolean) =>
  JSON.stringify({ model: "m", stream, messages: [{ role: "user", content: "x" }] });
const messages = (stream: boolean) =>
  JSON.stringify({ model: "m", stream, max_tokens: 5, messages: [{ role: "user", content: "x" }] });
const post = (server: RunningServer, path: string, body: string) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

describe("client disconnect", () => {
  it("closes the upstream connection within 1 s when the client leaves mid-stream", async () => {
    const mock = await slowUpstream(1000, 20);
    const server = await proxyFor(mock.url);
    const upstreamClosed = mock.nextSocketClose();
    const leftAt = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/v1/chat/completions`,
        { method: "POST", headers: { "content-type": "application/json" } },
        (res) => {
          res.once("data", () => {
            const at = performance.now();
            req.destroy();
            resolve(at);
          });
        },
      );
      req.on("error", () => {});
      req.on("close", () => {});
      req.end(chat(true));
      setTimeout(() => reject(new Error("no data")), 5000);
    });
    const closedAt = await upstreamClosed;
    expect(closedAt - leftAt).toBeLessThan(1000);
    expect(mock.requests.length).toBe(1);
  });
});

describe("graceful close", () => {
  it("lets an in-flight stream finish within the grace period", async () => {
    const mock = await slowUpstream(10, 30);
    const server = await proxyFor(mock.url);
    const response = await post(server, "/v1/chat/completions", chat(true));
    const closing = server.close(5000);
    const text = await response.text();
    await closing;
    expect(text).toContain("t9 ");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it("cuts streams that outlive the grace period", async () => {
    const mock = await slowUpstream(1000, 20);
    const server = await proxyFor(mock.url);
    const response = await post(server, "/v1/chat/completions", chat(true));
    const reader = response.body?.getReader();
    await reader?.read();
    const started = performance.now();
    await server.close(150);
    expect(performance.now() - started).toBeLessThan(1500);
    let ended = false;
    try {
      for (;;) {
        const { done } = (await reader?.read()) ?? { done: true };
        if (done) break;
      }
      ended = true;
    } catch {
      ended = true;
    }
    expect(ended).toBe(true);
  });
});

describe("upstream timeouts and failures", () => {
  it("answers 504 naming the first-byte timeout", async () => {
    const mock = await startMockUpstream(() => {});
    cleanups.push(() => mock.close());
    const server = await proxyFor(mock.url, { firstByteMs: 200 });
    const res = await post(server, "/v1/messages", messages(false));
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({
      type: "error",
      error: {
        type: "timeout_error",
        message: "upstream up did not send a first byte within 200ms",
      },
    });
  });

  it("ends a stream with an error event when the upstream goes idle", async () => {
    const mock = await startMockUpstream((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }] })}\n\n`,
      );
    });
    cleanups.push(() => mock.close());
    const server = await proxyFor(mock.url, { idleMs: 200 });
    const passThrough = await (await post(server, "/v1/chat/completions", chat(true))).text();
    expect(passThrough).toContain('"content":"hi"');
    expect(passThrough).toContain("sent nothing for 200ms");
    expect(passThrough).not.toContain("[DONE]");
    const translated = await (await post(server, "/v1/messages", messages(true))).text();
    expect(translated).toContain("event: error");
    expect(translated).toContain("sent nothing for 200ms");
    expect(translated).not.toContain("message_stop");
  });

  it("stops a response that exceeds the total timeout", async () => {
    const mock = await slowUpstream(1000, 20);
    const server = await proxyFor(mock.url, { totalMs: 300 });
    const text = await (await post(server, "/v1/chat/completions", chat(true))).text();
    expect(text).toContain("did not finish within 300ms");
  });

  it("answers 502 when the upstream is unreachable", async () => {
    const mock = await startMockUpstream(() => {});
    const url = mock.url;
    await mock.close();
    const server = await proxyFor(url);
    const res = await post(server, "/v1/chat/completions", chat(false));
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { message: string; code: string } };
    expect(body.error.message).toBe("upstream up is unreachable (ECONNREFUSED)");
    expect(body.error.code).toBe("upstream_unreachable");
    // `/status` shows the failure on the backend's (single) target too, still available.
    const status = (await (await fetch(`${server.url}/status`)).json()) as {
      pool: Record<string, { targets: Array<Record<string, unknown>> }>;
    };
    expect(status.pool.up?.targets[0]).toMatchObject({
      requests: 1,
      errors: 1,
      failures: 0,
      available: true,
    });
  });
});
