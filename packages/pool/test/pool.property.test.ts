import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPool, PoolError, type PoolSnapshot, type TargetSnapshot } from "../src/index.js";
import { fakeClock, fakeResponse } from "./fake.js";

/** What an upstream does on one attempt. */
type Behaviour =
  | { kind: "ok"; remaining?: number }
  | { kind: "bad-request" }
  | { kind: "rate-limited"; retryAfterS?: number }
  | { kind: "server-error"; status: number }
  | { kind: "throw" };

type Op =
  | { kind: "request"; key: number | undefined; script: Behaviour[] }
  | { kind: "advance"; ms: number };

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("ok" as const),
      remaining: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "bad-request" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("rate-limited" as const),
      retryAfterS: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("server-error" as const),
      status: fc.constantFrom(500, 502, 503, 529),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "throw" as const }) },
);

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("request" as const),
      key: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      script: fc.array(behaviour, { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      ms: fc.integer({ min: 0, max: 40_000 }),
    }),
  },
);

const setup = fc.record({
  targets: fc.integer({ min: 1, max: 4 }),
  weights: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  headroomFloor: fc.constantFrom(0, 0.1, 0.3, 0.5),
  failureThreshold: fc.integer({ min: 1, max: 3 }),
  openMs: fc.constantFrom(1_000, 10_000),
  cooldownDefaultMs: fc.constantFrom(0, 500, 2_000),
  maxWaitMs: fc.constantFrom(0, 5_000, 30_000),
});

function reply(b: Behaviour) {
  const limits = (remaining: number) => ({
    "x-ratelimit-limit-requests": "100",
    "x-ratelimit-remaining-requests": String(remaining),
    "x-ratelimit-reset-requests": "30s",
  });
  switch (b.kind) {
    case "ok":
      return fakeResponse(200, b.remaining === undefined ? {} : limits(b.remaining));
    case "bad-request":
      return fakeResponse(400);
    case "rate-limited":
      return fakeResponse(
        429,
        b.retryAfterS === undefined ? {} : { "retry-after": String(b.retryAfterS) },
      );
    case "server-error":
      return fakeResponse(b.status);
    case "throw":
      throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  }
}

const healthy = (t: TargetSnapshot, floor: number) =>
  t.available && t.breaker.state === "closed" && t.headroom >= floor;

describe("pool model properties", () => {
  it("never picks a cooling or open target, keeps sticky keys on healthy targets, bounds attempts", async () => {
    await fc.assert(
      fc.asyncProperty(setup, fc.array(op, { maxLength: 30 }), async (config, ops) => {
        const clock = fakeClock();
        const pool = createPool({
          targets: Array.from({ length: config.targets }, (_, i) => ({
            id: `t${i}`,
            weight: config.weights[i]!,
          })),
          now: clock.now,
          sleep: clock.sleep,
          maxAttempts: config.maxAttempts,
          headroomFloor: config.headroomFloor,
          cooldownDefaultMs: config.cooldownDefaultMs,
          breaker: { failureThreshold: config.failureThreshold, openMs: config.openMs },
          queue: { maxWaitMs: config.maxWaitMs },
        });
        const bound = new Map<number, string>();
        for (const step of ops) {
          if (step.kind === "advance") {
            clock.t += step.ms;
            continue;
          }
          const key = step.key === undefined ? undefined : `key-${step.key}`;
          const before: PoolSnapshot = pool.snapshot();
          const home = step.key === undefined ? undefined : bound.get(step.key);
          const homeState = before.targets.find((t) => t.id === home);
          const mustStay = homeState !== undefined && healthy(homeState, config.headroomFloor);
          let attempts = 0;
          // Collected, not thrown: a throw inside the callback would look like a connection
          // error to the pool and be failed over.
          const violations: string[] = [];
          const result = await pool
            .run(key, async (target, { attempt }) => {
              attempts++;
              if (attempt !== attempts)
                violations.push(`attempt ${attempt} reported as ${attempts}`);
              if (attempts > config.maxAttempts) violations.push(`attempt ${attempts} > max`);
              const chosen = pool.snapshot().targets.find((t) => t.id === target.id)!;
              if (chosen.cooldownUntil !== null) violations.push(`${target.id} is cooling`);
              if (chosen.breaker.state === "open") violations.push(`${target.id} breaker open`);
              if (attempts === 1 && mustStay && target.id !== home) {
                violations.push(`${key} moved from healthy ${home} to ${target.id}`);
              }
              return reply(step.script[(attempts - 1) % step.script.length]!);
            })
            .catch((error: unknown) => {
              expect(PoolError.isInstance(error)).toBe(true);
              expect((error as PoolError).code).toBe("exhausted");
              expect((error as PoolError).attempts).toBe(attempts);
              return undefined;
            });
          expect(violations).toEqual([]);
          expect(attempts).toBeLessThanOrEqual(config.maxAttempts);
          if (result) {
            expect(result.attempts).toBe(attempts);
            expect(result.failovers).toBe(attempts - 1);
            if (step.key !== undefined) bound.set(step.key, result.targetId);
          }
          const after = pool.snapshot();
          expect(after.queued).toBe(0);
          for (const t of after.targets) expect(t.inFlight).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
