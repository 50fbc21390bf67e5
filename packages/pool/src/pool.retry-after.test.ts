import { describe, expect, it } from "vitest";
import { fakeClock, fakeResponse } from "../test/fake.js";
import { createPool } from "./pool.js";

/** A single-target pool as an HTTP backend with one upstream makes it: no failover, no retry. */
function singleTarget(replies: Array<ReturnType<typeof fakeResponse>>) {
  const clock = fakeClock();
  const slept: number[] = [];
  const pool = createPool({
    targets: [{ id: "only" }],
    now: clock.now,
    sleep: async (ms) => {
      slept.push(ms);
      clock.t += ms;
    },
    isRetryableStatus: () => false,
    isRetryableError: () => false,
    maxAttempts: 1,
  });
  let calls = 0;
  const call = async () => replies[calls++] ?? fakeResponse(200);
  return { pool, clock, slept, call, calls: () => calls };
}

/** The probe's answer: a 429 asking for 7 s, saying `remaining: 0` without a reset time. */
const limited = (headers: Record<string, string> = {}) =>
  fakeResponse(429, {
    "retry-after": "7",
    "x-ratelimit-limit-requests": "100",
    "x-ratelimit-remaining-requests": "0",
    ...headers,
  });

describe("rate-limit honesty", () => {
  it("after a 429 with Retry-After: 7 and an untimed remaining: 0, one target waits at most 7 s", async () => {
    const { pool, clock, slept, call, calls } = singleTarget([limited()]);
    expect((await pool.run(undefined, call)).status).toBe(429);
    const first = clock.t;
    clock.t += 2_000;
    // Not a local refusal for the assumed 60 s window: the request goes out once 7 s passed.
    const result = await pool.run(undefined, call);
    expect(result.status).toBe(200);
    expect(calls()).toBe(2);
    expect(slept).toEqual([5_000]);
    expect(clock.t - first).toBe(7_000);
  });

  it("a local refusal lasts no longer than the upstream asked and says how long is left", async () => {
    const { pool, clock, call, calls } = singleTarget([
      limited({ "retry-after": "30", "x-ratelimit-reset-requests": "5m0s" }),
    ]);
    await pool.run(undefined, call);
    clock.t += 12_000;
    // 18 s left of the 30 s asked for (not the window's 5 minutes): past the queue's 10 s, so
    // refused at once, with the remaining time.
    await expect(pool.run(undefined, call)).rejects.toMatchObject({
      code: "exhausted",
      status: 429,
      retryAfterMs: 18_000,
    });
    expect(calls()).toBe(1);
    clock.t += 18_000;
    expect((await pool.run(undefined, call)).status).toBe(200);
  });

  it("an exhausted window with no reset time lowers headroom but never refuses locally", async () => {
    const { pool, call, calls, slept } = singleTarget([
      fakeResponse(200, {
        "x-ratelimit-limit-requests": "10",
        "x-ratelimit-remaining-requests": "0",
      }),
    ]);
    await pool.run(undefined, call);
    const [only] = pool.snapshot().targets;
    expect(only).toMatchObject({ available: true, headroom: 0 });
    expect((await pool.run(undefined, call)).status).toBe(200);
    expect(calls()).toBe(2);
    expect(slept).toEqual([]);
  });

  it("a reset time the upstream gave still holds requests until it passes", async () => {
    const { pool, clock, slept, call } = singleTarget([
      fakeResponse(200, {
        "x-ratelimit-limit-requests": "10",
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": "3s",
      }),
    ]);
    await pool.run(undefined, call);
    const t = clock.t;
    expect((await pool.run(undefined, call)).status).toBe(200);
    expect(slept).toEqual([3_000]);
    expect(clock.t - t).toBe(3_000);
  });

  it("with several targets, an untimed exhausted target is used last, not shut out", async () => {
    const clock = fakeClock();
    const pool = createPool({
      targets: [{ id: "a" }, { id: "b" }],
      now: clock.now,
      sleep: clock.sleep,
    });
    const exhausted = { "x-ratelimit-limit-requests": "10", "x-ratelimit-remaining-requests": "0" };
    await pool.run(undefined, async () => fakeResponse(200, exhausted));
    const order: string[] = [];
    const result = await pool.run(undefined, async (target) => {
      order.push(target.id);
      return fakeResponse(target.id === "a" ? 200 : 503);
    });
    // The first run went to `a` (ties go to the earlier target): `b` is preferred now, and
    // when it fails `a` still serves instead of a 60 s local refusal.
    expect(order).toEqual(["b", "a"]);
    expect(result.targetId).toBe("a");
  });
});
