import { afterEach, describe, expect, it } from "vitest";
import { testConfig } from "../../test/helpers/config.js";
import type { RequestLogEntry } from "../server/request-log.js";
import { type RunningServer, startServer } from "../server/start-server.js";
import { openTopEvents } from "./top-events.js";

const KEY = "sy-top-events-key-0123456789abcdef";
const start = (port = 0) =>
  startServer({
    config: testConfig({ port, apiKey: KEY, defaultBackend: "echo" }),
    version: "0.0.0-test",
  });

async function chat(url: string, model: string): Promise<void> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": KEY },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

/** Resolves once `check()` holds (checked every 20 ms, at most `ms`). */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let server: RunningServer | undefined;
let stream: { close(): void } | undefined;
afterEach(async () => {
  stream?.close();
  await server?.close(100);
  server = undefined;
});

describe("openTopEvents", () => {
  it("streams request events and reconnects with backoff when the proxy restarts", async () => {
    server = await start();
    const { port, url } = server;
    const seen: RequestLogEntry[] = [];
    const connections: boolean[] = [];
    stream = openTopEvents({
      url,
      apiKey: KEY,
      minDelayMs: 50,
      maxDelayMs: 400,
      onRequest: (entry) => seen.push(entry),
      onGuard: () => {},
      onConnection: (up) => connections.push(up),
    });
    await until(() => connections.includes(true), "the stream to open");
    await chat(url, "model-before\u001b[31m");
    await until(() => seen.some((e) => e.model?.startsWith("model-before")), "the first event");
    // Drawn in a terminal: control characters never come through raw.
    expect(seen.find((e) => e.model?.startsWith("model-before"))?.model).toBe("model-before?[31m");

    await server.close(100);
    await until(() => connections.at(-1) === false, "the stream to notice the proxy left");
    // Retries back off while nothing listens; the proxy comes back on the same port.
    await new Promise((r) => setTimeout(r, 600));
    server = await start(port);
    await until(() => connections.at(-1) === true, "the stream to reconnect");
    expect(connections.filter((up) => up)).toHaveLength(2);
    await chat(server.url, "model-after");
    await until(() => seen.some((e) => e.model === "model-after"), "an event after the restart");
  }, 30_000);

  it("does not connect without the key, and keeps retrying", async () => {
    server = await start();
    const connections: boolean[] = [];
    let attempts = 0;
    const original = server.url;
    stream = openTopEvents({
      url: original,
      minDelayMs: 20,
      maxDelayMs: 40,
      onRequest: () => {},
      onGuard: () => {},
      onConnection: (up) => connections.push(up),
    });
    // 401s: never "up", and the retries keep coming (counted through the proxy's ring).
    await new Promise((r) => setTimeout(r, 500));
    expect(connections).toEqual([]);
    const log = (await (
      await fetch(`${original}/requests?limit=500`, { headers: { "x-api-key": KEY } })
    ).json()) as { requests: Array<{ path: string; status: number }> };
    attempts = log.requests.filter((e) => e.path === "/events" && e.status === 401).length;
    expect(attempts).toBeGreaterThan(2);
  });
});
