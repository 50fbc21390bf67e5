import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createChatClient } from "../examples/fetch-two-targets.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];

async function upstream(handler: Handler): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on("end", () => handler(req, res));
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits };
}

const answer =
  (text: string): Handler =>
  (_req, res) => {
    res.writeHead(200, {
      "content-type": "application/json",
      "x-ratelimit-limit-requests": "100",
      "x-ratelimit-remaining-requests": "99",
      "x-ratelimit-reset-requests": "600ms",
    });
    res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: text } }] }));
  };
const rateLimited: Handler = (_req, res) => {
  res.writeHead(429, { "content-type": "application/json", "retry-after": "30" });
  res.end(JSON.stringify({ error: { message: "slow down", type: "rate_limit" } }));
};

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  vi.restoreAllMocks();
});

describe("examples/fetch-two-targets", () => {
  it("fails over from a rate-limited upstream before the caller sees anything", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const primary = await upstream(rateLimited);
    const secondary = await upstream(answer("hello from secondary"));
    const { chat, pool } = createChatClient(
      { primary: primary.url, secondary: secondary.url },
      "test-key",
    );

    // Session keys are bound by rendezvous hashing; try a few so one lands on primary first.
    const results = [];
    for (const session of ["s1", "s2", "s3", "s4"]) results.push(await chat(session, "hi"));
    for (const result of results) {
      expect(result).toMatchObject({
        ok: true,
        targetId: "secondary",
        text: "hello from secondary",
      });
    }
    // primary was tried at most once: after its 429 it cools down for Retry-After (30 s).
    expect(primary.hits()).toBe(1);
    expect(results.some((r) => r.ok && r.failovers === 1)).toBe(true);
    expect(warn).toHaveBeenCalledWith("failover from primary: 429");
    const snap = pool.snapshot();
    expect(snap.targets[0]).toMatchObject({
      id: "primary",
      available: false,
      counts: { rateLimited: 1 },
    });
    expect(snap.targets[1]?.dimensions.requests).toMatchObject({ limit: 100, remaining: 99 });
    expect(snap.bindings).toBe(4);
  });

  it("keeps a session on its upstream while it is healthy", async () => {
    const primary = await upstream(answer("p"));
    const secondary = await upstream(answer("s"));
    const { chat } = createChatClient({ primary: primary.url, secondary: secondary.url }, "k");
    const first = await chat("conversation", "one");
    for (let i = 0; i < 5; i++) {
      const next = await chat("conversation", "more");
      expect(next).toMatchObject({
        ok: true,
        targetId: first.ok ? first.targetId : "",
        failovers: 0,
      });
    }
    expect(primary.hits() + secondary.hits()).toBe(6);
    expect(Math.min(primary.hits(), secondary.hits())).toBe(0);
  });

  it("reports when to retry once every upstream is rate limited", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const primary = await upstream(rateLimited);
    const secondary = await upstream(rateLimited);
    const { chat } = createChatClient({ primary: primary.url, secondary: secondary.url }, "k");
    const result = await chat("s", "hi");
    expect(result).toMatchObject({ ok: false, status: 429 });
    expect(result.ok === false && result.retryAfterMs).toBeGreaterThan(29_000);
    expect(primary.hits() + secondary.hits()).toBe(2);
  });

  it("is the code the README shows", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const example = await readFile(
      new URL("../examples/fetch-two-targets.ts", import.meta.url),
      "utf8",
    );
    expect(readme).toContain(example.trim());
  });
});
