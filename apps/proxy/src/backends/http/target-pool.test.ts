import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { defaultParsers, defaultResponseAccessor } from "@switchyard/pool";
import { afterEach, describe, expect, it } from "vitest";
import { ProxyError } from "../../server/proxy-error.js";
import {
  createTargetPool,
  estimateTokens,
  isRateLimitHeader,
  type TargetPool,
  upstreamAccessor,
} from "./target-pool.js";
import type { UpstreamResponse } from "./upstream.js";

const timeouts = { connectMs: 1000, firstByteMs: 2000, idleMs: 2000, totalMs: 5000 };
const servers: Server[] = [];
const pools: TargetPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A local upstream answering `status` with `headers`; counts hits and connections. */
async function upstream(status: number, headers: Record<string, string> = {}, padBytes = 0) {
  const hits = { count: 0, open: 0 };
  const server = createServer((_req, res) => {
    hits.count += 1;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ error: { message: `status ${status}`, pad: "x".repeat(padBytes) } }));
  });
  server.on("connection", (socket) => {
    hits.open += 1;
    socket.on("close", () => {
      hits.open -= 1;
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

/** A URL on which nothing listens. */
async function refusedUrl() {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

const poolOf = (targets: Array<{ id: string; baseUrl: string }>) => {
  const pool = createTargetPool({ backend: "b", targets, timeouts });
  pools.push(pool);
  return pool;
};

const send = (pool: TargetPool, signal = new AbortController().signal) =>
  pool.send({ signal, build: (t) => ({ url: `${t.baseUrl}/x`, headers: {}, body: "{}" }) });

describe("createTargetPool", () => {
  it("with one target, passes a 429 on as is and never cools the target down", async () => {
    const one = await upstream(429, { "retry-after": "30" });
    const pool = poolOf([{ id: "only", baseUrl: one.url }]);
    for (let i = 0; i < 2; i++) {
      const { response, failovers } = await send(pool);
      expect([response.status, response.headers["retry-after"], failovers]).toEqual([429, "30", 0]);
      await response.body.text();
    }
    expect(one.hits.count).toBe(2);
    expect(pool.snapshot().targets[0]).toMatchObject({ id: "only", cooldownUntil: null });
  });

  it("keeps sticky bindings only when there is more than one target to stick to", async () => {
    const a = await upstream(200);
    const b = await upstream(200);
    const sticky = (pool: TargetPool, key: string) =>
      pool.send({
        stickyKey: key,
        signal: new AbortController().signal,
        build: (t) => ({ url: `${t.baseUrl}/x`, headers: {}, body: "{}" }),
      });
    const one = poolOf([{ id: "only", baseUrl: a.url }]);
    const two = poolOf([
      { id: "a", baseUrl: a.url },
      { id: "b", baseUrl: b.url },
    ]);
    for (const key of ["s1", "s2", "s1"]) {
      await (await sticky(one, key)).response.body.text();
      await (await sticky(two, key)).response.body.text();
    }
    expect(one.snapshot().bindings).toBe(0);
    expect(two.snapshot().bindings).toBe(2);
  });

  it("fails over a refused connection to the next target", async () => {
    const good = await upstream(200);
    const pool = poolOf([
      { id: "down", baseUrl: await refusedUrl() },
      { id: "up", baseUrl: good.url },
    ]);
    const { response, target, failovers } = await send(pool);
    await response.body.text();
    expect([response.status, target.id, failovers]).toEqual([200, "up", 1]);
    expect(pool.snapshot().targets[0]?.counts.connectionErrors).toBe(1);
  });

  it("reports the connection error, not a rate limit, when every target is unreachable", async () => {
    const pool = poolOf([
      { id: "x", baseUrl: await refusedUrl() },
      { id: "y", baseUrl: await refusedUrl() },
    ]);
    const error = await send(pool).catch((e: unknown) => e);
    expect(ProxyError.isInstance(error) && error.code).toBe("upstream_unreachable");
    expect((error as Error).message).toMatch(/^upstream b \(target [xy]\) is unreachable/);
  });

  it("answers 429 with the earliest retry time when every target is cooling", async () => {
    const a = await upstream(429, { "retry-after": "5" });
    const b = await upstream(429, { "retry-after": "2" });
    const pool = poolOf([
      { id: "a", baseUrl: a.url },
      { id: "b", baseUrl: b.url },
    ]);
    const error = await send(pool).catch((e: unknown) => e);
    expect(ProxyError.isInstance(error) && [error.code, error.status, error.retryAfter]).toEqual([
      "upstream_rate_limited",
      429,
      "2",
    ]);
    expect([a.hits.count, b.hits.count]).toEqual([1, 1]);
  });

  it("releases failed attempts' bodies, so no connection stays pinned", async () => {
    // Both rate limited with no wait: every request tries both, and both answers are dropped.
    // Bodies larger than the socket buffers: unread, they would hold their connections.
    const a = await upstream(429, { "retry-after-ms": "0" }, 2_000_000);
    const b = await upstream(429, { "retry-after-ms": "0" }, 2_000_000);
    const pool = poolOf([
      { id: "a", baseUrl: a.url },
      { id: "b", baseUrl: b.url },
    ]);
    for (let i = 0; i < 20; i++) {
      const error = await send(pool).catch((e: unknown) => e);
      expect(ProxyError.isInstance(error) && error.code).toBe("upstream_rate_limited");
    }
    expect([a.hits.count, b.hits.count]).toEqual([20, 20]);
    // Unread, each body would keep its socket open (40 here); drained or dropped, only a few
    // idle keep-alive sockets stay.
    for (let i = 0; i < 50 && a.hits.open + b.hits.open > 4; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(a.hits.open + b.hits.open).toBeLessThanOrEqual(4);
  });

  it("throws the client's abort reason", async () => {
    const a = await upstream(200);
    const pool = poolOf([{ id: "a", baseUrl: a.url }]);
    const controller = new AbortController();
    const reason = new ProxyError("client_closed", "client closed the connection");
    controller.abort(reason);
    await expect(send(pool, controller.signal)).rejects.toBe(reason);
  });

  it("estimates tokens at four bytes each", () => {
    expect(estimateTokens("x".repeat(10))).toBe(3);
    expect(estimateTokens(new Uint8Array(8))).toBe(2);
  });

  it("tells the pool every header its rate-limit parsers read, as the generic accessor would", () => {
    // Every name the default parsers ask for is one the fast accessor looks for.
    const asked = new Set<string>();
    for (const parser of defaultParsers) {
      parser.parse((name) => {
        asked.add(name);
        return undefined;
      }, 0);
    }
    expect(asked.size).toBeGreaterThan(10);
    expect([...asked].filter((name) => !isRateLimitHeader(name))).toEqual([]);
    const answer = (headers: UpstreamResponse["headers"]) =>
      ({ status: 429, headers }) as unknown as UpstreamResponse;
    const read = (response: UpstreamResponse) => {
      const fast = upstreamAccessor.headers(response);
      const generic = defaultResponseAccessor.headers(response);
      return [...asked, "content-type"].map((name) => [fast(name), generic(name)]);
    };
    // With rate-limit headers (one repeated), and with none: the same values either way.
    const limited = answer({
      "content-type": "application/json",
      "x-ratelimit-remaining-requests": "3",
      "anthropic-ratelimit-tokens-limit": ["100", "200"],
      "retry-after": "7",
    });
    for (const [fast, generic] of read(limited)) expect(fast).toBe(generic);
    expect(upstreamAccessor.headers(limited)("anthropic-ratelimit-tokens-limit")).toBe("100, 200");
    const plain = answer({ "content-type": "application/json", date: "x" });
    for (const [fast, generic] of read(plain).slice(0, -1))
      expect([fast, generic]).toEqual([undefined, undefined]);
    expect(upstreamAccessor.status(plain)).toBe(429);
  });

  it("observes an upstream's rate-limit headers through the pool", async () => {
    const a = await upstream(200, {
      "x-ratelimit-limit-requests": "100",
      "x-ratelimit-remaining-requests": "7",
      "x-ratelimit-reset-requests": "1m",
    });
    const pool = poolOf([{ id: "a", baseUrl: a.url }]);
    const { response } = await send(pool);
    await response.body.text();
    const requests = pool.snapshot().targets[0]?.dimensions.requests;
    expect([requests?.limit, requests?.remaining]).toEqual([100, 7]);
  });
});
