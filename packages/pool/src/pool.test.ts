import { describe, expect, it, vi } from "vitest";
import { fakeClock, fakeResponse } from "../test/fake.js";
import type { PoolEvents } from "./events.js";
import type { PoolOptions } from "./options.js";
import { createPool } from "./pool.js";
import { PoolError } from "./pool-error.js";

type Reply = ReturnType<typeof fakeResponse> | Error;

/** A pool over targets `a`, `b`, … whose callback replies from a script per target. */
function setup(
  script: Record<string, Reply[] | ((n: number) => Reply)>,
  options: Partial<Parameters<typeof createPool>[0]> = {},
) {
  const clock = fakeClock();
  const calls: string[] = [];
  const counts: Record<string, number> = {};
  const events: Array<[keyof PoolEvents, unknown]> = [];
  const pool = createPool({
    targets: Object.keys(script).map((id) => ({ id })),
    now: clock.now,
    sleep: clock.sleep,
    ...options,
  });
  for (const name of [
    "select",
    "failover",
    "cooldown",
    "breaker",
    "queued",
    "exhausted",
  ] as const) {
    pool.on(name, (payload) => events.push([name, payload]));
  }
  const call = async (target: { id: string }) => {
    calls.push(target.id);
    const n = (counts[target.id] ?? 0) + 1;
    counts[target.id] = n;
    const s = script[target.id]!;
    const reply = typeof s === "function" ? s(n) : (s[n - 1] ?? fakeResponse(200));
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { clock, calls, events, pool, call };
}

const ok = () => fakeResponse(200);

describe("selection", () => {
  it("prefers the target with the most headroom", async () => {
    const { pool, call, calls } = setup({
      a: [
        fakeResponse(200, {
          "x-ratelimit-limit-requests": "100",
          "x-ratelimit-remaining-requests": "10",
          "x-ratelimit-reset-requests": "60s",
        }),
      ],
      b: [
        fakeResponse(200, {
          "x-ratelimit-limit-requests": "100",
          "x-ratelimit-remaining-requests": "90",
          "x-ratelimit-reset-requests": "60s",
        }),
      ],
    });
    for (let i = 0; i < 4; i++) await pool.run(undefined, call);
    expect(calls).toEqual(["a", "b", "b", "b"]);
    const a = pool.snapshot().targets[0]!;
    expect(a.dimensions.requests).toMatchObject({ limit: 100, remaining: 10, source: "headers" });
    expect(a.headroom).toBeCloseTo(0.1);
  });

  it("splits traffic by weight when headroom is equal", async () => {
    const clock = fakeClock();
    const pool = createPool({
      targets: [
        { id: "a", weight: 3 },
        { id: "b", weight: 1 },
      ],
      now: clock.now,
    });
    const served: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { targetId } = await pool.run(undefined, async () => ok());
      served.push(targetId);
    }
    expect(served.filter((id) => id === "a")).toHaveLength(6);
    expect(served.filter((id) => id === "b")).toHaveLength(2);
  });

  it("passes the configured target object, attempt number and signal to the callback", async () => {
    const pool = createPool({ targets: [{ id: "a", url: "http://127.0.0.1:1" }] });
    const controller = new AbortController();
    const seen = vi.fn(
      async (
        target: { url: string },
        ctx: { attempt: number; signal: AbortSignal; key?: string },
      ) => {
        expect(target.url).toBe("http://127.0.0.1:1");
        expect(ctx.attempt).toBe(1);
        expect(ctx.signal).toBe(controller.signal);
        expect(ctx.key).toBe("k");
        return ok();
      },
    );
    const result = await pool.run("k", seen, { signal: controller.signal });
    expect(seen).toHaveBeenCalledOnce();
    expect(result).toMatchObject({
      targetId: "a",
      status: 200,
      attempts: 1,
      failovers: 0,
      waitedMs: 0,
    });
    expect(result.target.url).toBe("http://127.0.0.1:1");
  });
});

describe("failover", () => {
  it("retries a 429 on another target, cools the first down until Retry-After and discards its body", async () => {
    const limited = fakeResponse(429, { "retry-after": "30" });
    const { pool, call, clock, events } = setup({ a: [limited], b: [] });
    const result = await pool.run(undefined, call);
    expect(result).toMatchObject({ targetId: "b", attempts: 2, failovers: 1 });
    expect(limited.cancel).toHaveBeenCalledOnce();
    const a = pool.snapshot().targets[0]!;
    expect(a.cooldownUntil).toBe(clock.t + 30_000);
    expect(a.counts).toMatchObject({ attempts: 1, rateLimited: 1, failures: 1 });
    expect(a.breaker.consecutiveFailures).toBe(0);
    expect(events.filter(([n]) => n === "failover")).toEqual([
      ["failover", { from: "a", key: undefined, attempt: 1, status: 429 }],
    ]);
    expect(events).toContainEqual([
      "cooldown",
      { target: "a", until: clock.t + 30_000, ms: 30_000, status: 429 },
    ]);
  });

  it("uses the exhausted window's reset when a 429 has no Retry-After", async () => {
    const { pool, call, clock } = setup({
      a: [
        fakeResponse(429, {
          "x-ratelimit-remaining-tokens": "0",
          "x-ratelimit-limit-tokens": "1000",
          "x-ratelimit-reset-tokens": "7.5s",
        }),
      ],
      b: [],
    });
    await pool.run(undefined, call);
    expect(pool.snapshot().targets[0]!.cooldownUntil).toBe(clock.t + 7_500);
  });

  it.each([500, 502, 503, 529])(
    "fails over on %d and counts it towards the breaker",
    async (status) => {
      const { pool, call, clock } = setup({ a: [fakeResponse(status)], b: [] });
      const result = await pool.run(undefined, call);
      expect(result.targetId).toBe("b");
      const a = pool.snapshot().targets[0]!;
      expect(a.cooldownUntil).toBe(clock.t + 2_000);
      expect(a.counts.serverErrors).toBe(1);
      expect(a.breaker.consecutiveFailures).toBe(1);
    },
  );

  it("counts errors it does not fail over on, without cooling the target down", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const { pool, call } = setup(
      { a: [fakeResponse(500), fakeResponse(429), refused, fakeResponse(400), ok()] },
      { isRetryableStatus: () => false, isRetryableError: () => false, maxAttempts: 1 },
    );
    expect((await pool.run(undefined, call)).status).toBe(500);
    expect((await pool.run(undefined, call)).status).toBe(429);
    await expect(pool.run(undefined, call)).rejects.toBe(refused);
    expect((await pool.run(undefined, call)).status).toBe(400);
    expect((await pool.run(undefined, call)).status).toBe(200);
    const [a] = pool.snapshot().targets;
    expect(a!.counts).toEqual({
      attempts: 5,
      successes: 4,
      failures: 0,
      rateLimited: 1,
      serverErrors: 1,
      connectionErrors: 1,
    });
    expect(a!.available).toBe(true);
    expect(a!.breaker.state).toBe("closed");
  });

  it("fails over on a thrown connection error and reports only its code", async () => {
    const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9 key=sk-secret"), {
      code: "ECONNREFUSED",
    });
    const { pool, call, events } = setup({ a: [error], b: [] });
    const result = await pool.run(undefined, call);
    expect(result.targetId).toBe("b");
    expect(pool.snapshot().targets[0]!.counts.connectionErrors).toBe(1);
    expect(events).toContainEqual([
      "failover",
      { from: "a", key: undefined, attempt: 1, error: "ECONNREFUSED" },
    ]);
    expect(JSON.stringify(events)).not.toContain("sk-secret");
  });

  it("returns a non-retryable status as-is without retrying", async () => {
    const bad = fakeResponse(400);
    const { pool, call, calls } = setup({ a: [bad], b: [] });
    const result = await pool.run(undefined, call);
    expect(result.response).toBe(bad);
    expect(result).toMatchObject({ status: 400, attempts: 1, targetId: "a" });
    expect(bad.cancel).not.toHaveBeenCalled();
    expect(calls).toEqual(["a"]);
  });

  it("never makes more than maxAttempts attempts and then fails with exhausted", async () => {
    const { pool, call, calls, events } = setup(
      { a: () => fakeResponse(500), b: () => fakeResponse(500), c: () => fakeResponse(500) },
      { maxAttempts: 2 },
    );
    const error = await pool.run("k", call).catch((e: unknown) => e);
    expect(calls).toHaveLength(2);
    expect(PoolError.isInstance(error)).toBe(true);
    // The last answer was a server error: 503, not "rate limited".
    expect(error).toMatchObject({
      code: "exhausted",
      status: 503,
      attempts: 2,
      failovers: 1,
      lastStatus: 500,
      isRetryable: true,
      message: "pool exhausted: 2 attempts failed (last: HTTP 500)",
    });
    // Target c was never tried, so it is available right away.
    expect((error as PoolError).retryAfterMs).toBe(0);
    expect(events.filter(([n]) => n === "failover")).toHaveLength(1);
    expect(events.at(-1)).toEqual(["exhausted", { key: "k", attempts: 2, retryAfterMs: 0 }]);
  });

  it("rethrows errors the pool is told not to retry, without penalising the target", async () => {
    const bug = new TypeError("bug in caller");
    const { pool, call, calls } = setup({ a: [bug], b: [] }, { isRetryableError: () => false });
    await expect(pool.run(undefined, call)).rejects.toBe(bug);
    expect(calls).toEqual(["a"]);
    expect(pool.snapshot().targets[0]).toMatchObject({ inFlight: 0, cooldownUntil: null });
  });

  it("rejects a callback result without a status", async () => {
    const pool = createPool({ targets: [{ id: "a" }] });
    const error = await pool.run(undefined, async () => ({ nope: true })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid-response", attempts: 1 });
  });

  it("reads undici-style results and dumps their body on failover", async () => {
    const dump = vi.fn(async () => {});
    const pool = createPool({ targets: [{ id: "a" }, { id: "b" }] });
    const result = await pool.run(undefined, async (target) =>
      target.id === "a"
        ? {
            statusCode: 503,
            headers: { "Retry-After": "4", "x-ratelimit-remaining-requests": ["9"] },
            body: { dump },
          }
        : { statusCode: 201, headers: {}, body: { dump } },
    );
    expect(result).toMatchObject({ targetId: "b", status: 201 });
    expect(dump).toHaveBeenCalledOnce();
    const a = pool.snapshot().targets[0]!;
    expect(a.dimensions.requests?.remaining).toBe(9);
    expect(a.cooldownUntil! - pool.snapshot().at).toBeGreaterThan(3_000);
  });
});

describe("waiting and exhaustion", () => {
  it("waits for the earliest reset when every target is cooling", async () => {
    const { pool, call, calls, clock, events } = setup({
      a: [fakeResponse(429, { "retry-after": "2" })],
      b: [fakeResponse(429, { "retry-after": "5" })],
    });
    const start = clock.t;
    const result = await pool.run(undefined, call);
    expect(calls).toEqual(["a", "b", "a"]);
    expect(result).toMatchObject({ targetId: "a", attempts: 3, failovers: 2, waitedMs: 2_000 });
    expect(clock.t).toBe(start + 2_000);
    expect(events).toContainEqual(["queued", { key: undefined, waitMs: 2_000, queued: 1 }]);
  });

  it("fails at once with retryAfterMs when the earliest reset is beyond maxWaitMs", async () => {
    const { pool, call, calls, clock } = setup(
      {
        a: [fakeResponse(429, { "retry-after": "20" })],
        b: [fakeResponse(429, { "retry-after-ms": "15000" })],
      },
      { queue: { maxWaitMs: 10_000 } },
    );
    const start = clock.t;
    const error = (await pool.run(undefined, call).catch((e: unknown) => e)) as PoolError;
    expect(calls).toEqual(["a", "b"]);
    expect(error).toMatchObject({
      code: "exhausted",
      status: 429,
      retryAfterMs: 15_000,
      lastStatus: 429,
    });
    expect(clock.t).toBe(start);
  });

  it("does not queue when the queue is full", async () => {
    const { pool, call, calls } = setup(
      { a: [fakeResponse(429, { "retry-after": "1" })] },
      { queue: { maxSize: 0 } },
    );
    const error = await pool.run(undefined, call).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "exhausted", retryAfterMs: 1_000 });
    expect(calls).toEqual(["a"]);
  });

  /** One target whose breaker opens on the first failure and half-opens after 1 s. */
  const breakerPool = (
    clock: ReturnType<typeof fakeClock>,
    extra: Partial<PoolOptions<{ id: string }>>,
  ) =>
    createPool({
      targets: [{ id: "a" }],
      now: clock.now,
      maxAttempts: 1,
      breaker: { failureThreshold: 1, openMs: 1_000 },
      ...extra,
    });

  it("wakes a waiter as soon as an in-flight trial request succeeds", async () => {
    const clock = fakeClock();
    const pool = breakerPool(clock, {
      // This sleep only ends when the pool wakes it: proof that the wake-up, not time, served.
      sleep: (_ms, signal) =>
        new Promise((resolve) => signal.addEventListener("abort", () => resolve())),
    });
    await expect(pool.run(undefined, async () => fakeResponse(500))).rejects.toMatchObject({
      code: "exhausted",
    });
    clock.t += 60_000;
    let release!: (r: ReturnType<typeof fakeResponse>) => void;
    const probe = pool.run(
      undefined,
      () =>
        new Promise<ReturnType<typeof fakeResponse>>((r) => {
          release = r;
        }),
    );
    await Promise.resolve();
    expect(pool.snapshot().targets[0]!.breaker.state).toBe("half-open");
    const waiter = pool.run(undefined, async () => ok());
    await vi.waitFor(() => expect(pool.snapshot().queued).toBe(1));
    release(ok());
    await expect(probe).resolves.toMatchObject({ targetId: "a" });
    await expect(waiter).resolves.toMatchObject({ targetId: "a", attempts: 1 });
    expect(pool.snapshot().targets[0]!.breaker.state).toBe("closed");
  });

  it("refuses an estimatedTokens that is not a finite count", async () => {
    const pool = createPool({ targets: [{ id: "a" }] });
    for (const estimatedTokens of [Number.NaN, -500, Number.POSITIVE_INFINITY]) {
      await expect(
        pool.run(undefined, async () => ok(), { estimatedTokens }),
      ).rejects.toMatchObject({ code: "invalid-option" });
    }
  });

  it("does not leave a half-open target stuck when a hook throws during its trial", async () => {
    const clock = fakeClock();
    const pool = breakerPool(clock, {
      isRetryableStatus: (status) => {
        if (status === 418) throw new Error("hook bug");
        return status >= 500;
      },
    });
    await expect(pool.run(undefined, async () => fakeResponse(500))).rejects.toMatchObject({
      code: "exhausted",
    });
    clock.t += 60_000;
    // The trial request's answer makes the caller's hook throw: the error reaches the caller…
    await expect(pool.run(undefined, async () => fakeResponse(418))).rejects.toThrow("hook bug");
    // …and the target is still tried (half-open again), not unavailable for ever.
    const [a] = pool.snapshot().targets;
    expect(a!.available).toBe(true);
    await expect(pool.run(undefined, async () => ok())).resolves.toMatchObject({ targetId: "a" });
    expect(pool.snapshot().targets[0]!.breaker.state).toBe("closed");
  });

  it("gives up waiting with aborted when the caller's signal aborts", async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const pool = createPool({
      targets: [{ id: "a" }],
      now: clock.now,
      sleep: (_ms, signal) =>
        new Promise((resolve) => signal.addEventListener("abort", () => resolve())),
    });
    const pending = pool.run(undefined, async () => fakeResponse(429, { "retry-after": "5" }), {
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(pool.snapshot().queued).toBe(1));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "aborted", attempts: 1 });
    expect(pool.snapshot().queued).toBe(0);
  });

  it("accepts any AbortSignal-like object, hands that same object to the callback, and obeys it", async () => {
    const clock = fakeClock();
    const listeners: Array<() => void> = [];
    const signal = {
      aborted: false,
      reason: undefined as unknown,
      addEventListener: (_type: "abort", listener: () => void) => listeners.push(listener),
      removeEventListener: (_type: "abort", listener: () => void) => {
        listeners.splice(listeners.indexOf(listener), 1);
      },
    };
    const pool = createPool({
      targets: [{ id: "a" }],
      now: clock.now,
      sleep: (_ms, wake) =>
        new Promise((resolve) => wake.addEventListener("abort", () => resolve())),
    });
    const given: unknown[] = [];
    const pending = pool.run(
      undefined,
      async (_target, context) => {
        given.push(context.signal);
        return fakeResponse(429, { "retry-after": "5" });
      },
      { signal },
    );
    await vi.waitFor(() => expect(pool.snapshot().queued).toBe(1));
    expect(given).toEqual([signal]);
    signal.aborted = true;
    signal.reason = "client left";
    for (const listener of [...listeners]) listener();
    await expect(pending).rejects.toMatchObject({ code: "aborted", attempts: 1 });
    expect(listeners).toEqual([]);
  });

  it("does not penalise a target when the caller aborts mid-attempt", async () => {
    const controller = new AbortController();
    const pool = createPool({ targets: [{ id: "a" }, { id: "b" }] });
    const pending = pool.run(
      undefined,
      async () => {
        controller.abort();
        throw new DOMException("aborted", "AbortError");
      },
      { signal: controller.signal },
    );
    await expect(pending).rejects.toMatchObject({ code: "aborted" });
    expect(pool.snapshot().targets[0]).toMatchObject({
      inFlight: 0,
      cooldownUntil: null,
      counts: { failures: 0 },
    });
  });
});

describe("custom parsers", () => {
  it("applies a custom RateLimitParser and survives one that throws", async () => {
    const { defaultParsers } = await import("./parsers/index.js");
    const clock = fakeClock();
    const pool = createPool({
      targets: [{ id: "a" }],
      now: clock.now,
      parsers: [
        ...defaultParsers,
        {
          name: "broken",
          parse() {
            throw new Error("parser bug");
          },
        },
        {
          name: "acme",
          parse: (header, now) => {
            const left = header("acme-quota-left");
            return left === undefined
              ? undefined
              : {
                  dimensions: {
                    quota: { limit: 10, remaining: Number(left), resetAt: now + 1_000 },
                  },
                };
          },
        },
      ],
    });
    const result = await pool.run(undefined, async () =>
      fakeResponse(200, { "acme-quota-left": "4" }),
    );
    expect(result.status).toBe(200);
    expect(pool.snapshot().targets[0]!.dimensions.quota).toMatchObject({
      limit: 10,
      remaining: 4,
      headroom: 0.4,
    });
  });
});
