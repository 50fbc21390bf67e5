import { describe, expect, it } from "vitest";
import { fakeClock, fakeResponse } from "../test/fake.js";
import type { PoolEvents } from "./events.js";
import { createPool } from "./pool.js";

const ok = () => fakeResponse(200);
const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `t${i}` }));

describe("stickiness", () => {
  it("keeps a key on its target while it stays healthy", async () => {
    const pool = createPool({ targets: ids(5) });
    const first = await pool.run("conv-1", async () => ok());
    for (let i = 0; i < 10; i++) {
      // Unrelated traffic changes fair-share order but must not move the key.
      await pool.run(undefined, async () => ok());
      const again = await pool.run("conv-1", async () => ok());
      expect(again.targetId).toBe(first.targetId);
    }
    expect(pool.snapshot().bindings).toBe(1);
  });

  it("binds keys deterministically: two pools agree, and keys spread over targets", async () => {
    const a = createPool({ targets: ids(4) });
    const b = createPool({ targets: ids(4) });
    const used = new Set<string>();
    for (let k = 0; k < 40; k++) {
      const x = await a.run(`key-${k}`, async () => ok());
      const y = await b.run(`key-${k}`, async () => ok());
      expect(x.targetId).toBe(y.targetId);
      used.add(x.targetId);
    }
    expect(used.size).toBe(4);
  });

  it("rebinds when its target cools down, deterministically, and stays on the new one", async () => {
    const clock = fakeClock();
    const events: PoolEvents["select"][] = [];
    const pool = createPool({ targets: ids(3), now: clock.now });
    pool.on("select", (e) => events.push(e));
    const { targetId: home } = await pool.run("k", async () => ok());
    const moved = await pool.run("k", async (t) =>
      t.id === home ? fakeResponse(429, { "retry-after": "10" }) : ok(),
    );
    expect(moved.targetId).not.toBe(home);
    expect(moved.failovers).toBe(1);
    expect(events.at(-1)?.reason).toBe("rebind");
    // The cooled target recovers, but the key stays where it is now healthy.
    clock.t += 20_000;
    expect((await pool.run("k", async () => ok())).targetId).toBe(moved.targetId);
    expect(events.at(-1)?.reason).toBe("sticky");
  });

  it("moves a key off a target whose headroom falls below the floor", async () => {
    const pool = createPool({ targets: ids(2), headroomFloor: 0.2 });
    const low = {
      "x-ratelimit-limit-requests": "100",
      "x-ratelimit-remaining-requests": "15",
      "x-ratelimit-reset-requests": "1m",
    };
    const { targetId: home } = await pool.run("k", async () => fakeResponse(200, low));
    const next = await pool.run("k", async () => ok());
    expect(next.targetId).not.toBe(home);
    expect(next.attempts).toBe(1);
  });

  it("falls back to any available target when none is above the floor", async () => {
    const pool = createPool({ targets: ids(1), headroomFloor: 0.5 });
    const low = {
      "x-ratelimit-limit-requests": "100",
      "x-ratelimit-remaining-requests": "5",
      "x-ratelimit-reset-requests": "1m",
    };
    await pool.run("k", async () => fakeResponse(200, low));
    expect((await pool.run("k", async () => ok())).targetId).toBe("t0");
  });

  it("unbind forgets a key", async () => {
    const pool = createPool({ targets: ids(2) });
    await pool.run("k", async () => ok());
    pool.unbind("k");
    expect(pool.snapshot().bindings).toBe(0);
  });
});

describe("circuit breaker", () => {
  it("opens after N consecutive failures, probes half-open once, closes on success", async () => {
    const clock = fakeClock();
    const transitions: PoolEvents["breaker"][] = [];
    const selects: PoolEvents["select"][] = [];
    const pool = createPool({
      targets: ids(2),
      now: clock.now,
      cooldownDefaultMs: 0,
      maxAttempts: 2,
      breaker: { failureThreshold: 2, openMs: 10_000 },
    });
    pool.on("breaker", (e) => transitions.push(e));
    pool.on("select", (e) => selects.push(e));
    let t1Calls = 0;
    const flaky = async (t: { id: string }) => {
      if (t.id === "t0") return fakeResponse(500);
      t1Calls++;
      return t1Calls === 1 ? fakeResponse(500) : ok();
    };
    // Run 1: both fail once (t0 first). Run 2: t0 fails again and opens; t1 serves.
    await expect(pool.run(undefined, flaky)).rejects.toMatchObject({ code: "exhausted" });
    expect((await pool.run(undefined, flaky)).targetId).toBe("t1");
    expect(pool.snapshot().targets[0]!.breaker).toMatchObject({
      state: "open",
      consecutiveFailures: 2,
    });
    expect(transitions).toEqual([{ target: "t0", from: "closed", to: "open" }]);

    // While open, everything goes to t1.
    for (let i = 0; i < 3; i++) expect((await pool.run(undefined, flaky)).attempts).toBe(1);

    clock.t += 10_000;
    expect(pool.snapshot().targets[0]!.breaker.state).toBe("half-open");
    const probe = await pool.run(undefined, async () => ok());
    expect(probe.targetId).toBe("t0");
    expect(selects.at(-1)?.reason).toBe("probe");
    expect(transitions.slice(1)).toEqual([
      { target: "t0", from: "open", to: "half-open" },
      { target: "t0", from: "half-open", to: "closed" },
    ]);
    expect(pool.snapshot().targets[0]!.breaker).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
    });
  });

  it("reopens when the trial request fails, and allows only one trial at a time", async () => {
    const clock = fakeClock();
    const pool = createPool({
      targets: ids(2),
      now: clock.now,
      breaker: { failureThreshold: 1, openMs: 5_000 },
    });
    await pool.run(undefined, async (t) => (t.id === "t0" ? fakeResponse(503) : ok()));
    clock.t += 5_000;
    let release!: () => void;
    const served: string[] = [];
    const probe = pool.run(undefined, async (t) => {
      served.push(t.id);
      if (t.id !== "t0") return ok();
      return new Promise<ReturnType<typeof fakeResponse>>((r) => {
        release = () => r(fakeResponse(503));
      });
    });
    // A second request during the trial must not reach t0.
    const other = await pool.run(undefined, async (t) => {
      served.push(t.id);
      return ok();
    });
    expect(other.targetId).toBe("t1");
    release();
    await expect(probe).resolves.toMatchObject({ targetId: "t1", failovers: 1 });
    expect(served).toEqual(["t0", "t1", "t1"]);
    const t0 = pool.snapshot().targets[0]!;
    expect(t0.breaker).toMatchObject({ state: "open", openedAt: clock.t });
  });

  it("does not count rate limits towards the breaker", async () => {
    const clock = fakeClock();
    const pool = createPool({ targets: ids(2), now: clock.now, breaker: { failureThreshold: 1 } });
    await pool.run(undefined, async (t) => (t.id === "t0" ? fakeResponse(429) : ok()));
    expect(pool.snapshot().targets[0]!.breaker.state).toBe("closed");
  });
});

describe("declared limits and snapshot", () => {
  it("counts requests against requestsPerMinute when no headers arrive", async () => {
    const clock = fakeClock();
    const pool = createPool({
      targets: [
        { id: "small", limits: { requestsPerMinute: 2 } },
        { id: "big", limits: { requestsPerMinute: 1000 } },
      ],
      now: clock.now,
      headroomFloor: 0,
    });
    const served: string[] = [];
    for (let i = 0; i < 4; i++) served.push((await pool.run(undefined, async () => ok())).targetId);
    // small drops to 50% headroom after one request, so big (≈100%) takes the rest.
    expect(served).toEqual(["small", "big", "big", "big"]);
    const snap = pool.snapshot();
    expect(snap.targets[0]!.dimensions.requests).toMatchObject({
      limit: 2,
      remaining: 1,
      source: "declared",
    });
    expect(snap.targets[1]!.dimensions.requests).toMatchObject({ limit: 1000, remaining: 997 });
  });

  it("makes a target unavailable once its declared window is used up, until it resets", async () => {
    const clock = fakeClock();
    const pool = createPool({
      targets: [{ id: "only", limits: { requestsPerMinute: 1 } }],
      now: clock.now,
      sleep: clock.sleep,
      queue: { maxWaitMs: 60_000 },
    });
    await pool.run(undefined, async () => ok());
    const start = clock.t;
    const second = await pool.run(undefined, async () => ok());
    expect(second.waitedMs).toBe(60_000);
    expect(clock.t).toBe(start + 60_000);
  });

  it("counts estimatedTokens against tokensPerMinute", async () => {
    const pool = createPool({ targets: [{ id: "a", limits: { tokensPerMinute: 10_000 } }] });
    await pool.run(undefined, async () => ok(), { estimatedTokens: 2_500 });
    const tokens = pool.snapshot().targets[0]!.dimensions.tokens!;
    expect(tokens).toMatchObject({ limit: 10_000, remaining: 7_500 });
    expect(tokens.headroom).toBeCloseTo(0.75);
  });

  it("reports per-target state in the snapshot", async () => {
    const clock = fakeClock();
    const pool = createPool({ targets: [{ id: "a", weight: 2 }], now: clock.now });
    const reset = new Date(clock.t + 30_000).toISOString();
    await pool.run("k", async () =>
      fakeResponse(200, {
        "anthropic-ratelimit-tokens-limit": "1000",
        "anthropic-ratelimit-tokens-remaining": "250",
        "anthropic-ratelimit-tokens-reset": reset,
      }),
    );
    const snap = pool.snapshot();
    expect(snap).toMatchObject({ at: clock.t, bindings: 1, queued: 0 });
    expect(snap.targets[0]).toEqual({
      id: "a",
      weight: 2,
      available: true,
      availableAt: clock.t,
      headroom: 0.25,
      health: 1,
      dimensions: {
        tokens: {
          limit: 1000,
          remaining: 250,
          resetAt: clock.t + 30_000,
          headroom: 0.25,
          source: "headers",
        },
      },
      cooldownUntil: null,
      breaker: { state: "closed", consecutiveFailures: 0, openedAt: null },
      inFlight: 0,
      counts: {
        attempts: 1,
        successes: 1,
        failures: 0,
        rateLimited: 0,
        serverErrors: 0,
        connectionErrors: 0,
      },
    });
    clock.t += 30_000;
    expect(pool.snapshot().targets[0]!.dimensions.tokens).toMatchObject({
      remaining: 1000,
      headroom: 1,
    });
  });
});

describe("shared state store", () => {
  it("lets two pools share cooldowns and bindings through one store", async () => {
    const { createMemoryStateStore } = await import("./state-store.js");
    const clock = fakeClock();
    const store = createMemoryStateStore();
    const writes: string[] = [];
    const spying = {
      ...store,
      setTarget: (id: string, s: Parameters<typeof store.setTarget>[1]) => {
        writes.push(id);
        store.setTarget(id, s);
      },
    };
    const one = createPool({ targets: ids(2), now: clock.now, store: spying });
    const two = createPool({ targets: ids(2), now: clock.now, store: spying });
    await one.run(undefined, async (t) =>
      t.id === "t0" ? fakeResponse(429, { "retry-after": "60" }) : ok(),
    );
    await one.run("k", async () => ok());
    expect(writes).toContain("t0");
    expect(two.snapshot().targets[0]!.cooldownUntil).toBe(clock.t + 60_000);
    expect(two.snapshot().bindings).toBe(1);
    const served = await two.run(undefined, async () => ok());
    expect(served).toMatchObject({ targetId: "t1", attempts: 1 });
  });
});

describe("health", () => {
  it("steers away from a target after a failure, then shares traffic again as it recovers", async () => {
    const clock = fakeClock();
    const pool = createPool({ targets: ids(2), now: clock.now, cooldownDefaultMs: 1_000 });
    await pool.run(undefined, async (t) => (t.id === "t0" ? fakeResponse(500) : ok()));
    clock.t += 1_000; // cooldown over
    const soon: string[] = [];
    for (let i = 0; i < 4; i++) soon.push((await pool.run(undefined, async () => ok())).targetId);
    expect(soon).toEqual(["t1", "t1", "t1", "t1"]);
    expect(pool.snapshot().targets[0]!.health).toBeCloseTo(0.8, 1);
    clock.t += 120_000;
    const later: string[] = [];
    for (let i = 0; i < 4; i++) later.push((await pool.run(undefined, async () => ok())).targetId);
    expect(later.filter((id) => id === "t0").length).toBeGreaterThanOrEqual(2);
  });
});
