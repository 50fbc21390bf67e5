import { createHook } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../../test/helpers/config.js";
import { type RunningServer, startServer } from "./start-server.js";

/**
 * The fixed chain every API request pays (request entry, dispatch, handleApi, guard gate,
 * usage record, request log), counted in promises: each is an allocation and at least one
 * microtask, and the count is deterministic where CPU time on a shared machine is not. The
 * upstream and the client here use callbacks only; a promise counts when the code that made
 * it (its first frame in this app's sources) is the server's or the usage log's, not a
 * backend's.
 */
const body = JSON.stringify({
  model: "gpt-chain",
  messages: [{ role: "user", content: "Say something short." }],
});
const answer = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-chain",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
});

const upstream = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(answer)),
    });
    res.end(answer);
  });
});
let server: RunningServer;
let home: string;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One request over a kept-alive socket; calls `done` with the status once the body ended. */
function post(path: string, done: (status: number) => void): void {
  const url = new URL(path, server.url);
  const req = request(
    url,
    { method: "POST", agent, headers: { "content-type": "application/json" } },
    (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode ?? 0));
    },
  );
  req.end(body);
}

/** Promises created while `count` requests run one after another (the least per request). */
function promisesPerRequest(path: string, count: number): Promise<number> {
  let created = 0;
  const hook = createHook({
    init(_id, type) {
      if (type !== "PROMISE") return;
      // The first frame in this app's sources below this hook's own.
      const frames = (new Error().stack ?? "").split("\n").slice(2);
      const frame = frames.find((line) => line.includes("/src/"));
      const site = frame === undefined ? undefined : /\/src\/([a-z-]+)\//.exec(frame)?.[1];
      if (site === "server" || site === "usage") created += 1;
    },
  });
  return new Promise((resolve, reject) => {
    let least = Number.POSITIVE_INFINITY;
    let left = count;
    const next = () => {
      const before = created;
      hook.enable();
      post(path, (status) => {
        // Let the server finish the request (its close handler and the log line) first.
        setImmediate(() => {
          hook.disable();
          if (status !== 200) {
            reject(new Error(`HTTP ${status}`));
            return;
          }
          least = Math.min(least, created - before);
          left -= 1;
          if (left === 0) resolve(least);
          else setTimeout(next, 15);
        });
      });
    };
    next();
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const port = (upstream.address() as AddressInfo).port;
  home = mkdtempSync(join(tmpdir(), "switchyard-chain-"));
  server = await startServer({
    config: testConfig({
      home,
      backends: {
        oa: { type: "openai", baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: "test-key" },
      },
      routes: [{ match: "gpt-*", backend: "oa" }],
    }),
    version: "0.0.0-test",
    requestLog: () => {},
  });
});

afterAll(async () => {
  agent.destroy();
  await server?.close(100);
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  rmSync(home, { recursive: true, force: true });
});

describe("the fixed per-request chain", () => {
  it("creates few promises for a non-streamed pass-through request", async () => {
    const least = await promisesPerRequest("/v1/chat/completions", 30);
    // Measured: 12 while dispatch was async and awaited handleApi, 10 since it returns its
    // promise, 8 since the server takes it without an async wrapper awaiting it and the usage
    // record is queued without a promise nobody waits for.
    expect(least).toBeGreaterThan(0);
    expect(least).toBeLessThanOrEqual(8);
  });
});
