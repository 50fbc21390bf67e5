import { describe, expect, it } from "vitest";
import { createTargetState } from "../state.js";
import {
  applyObservation,
  capExhaustedWindows,
  consume,
  DECLARED_WINDOW_MS,
  exhaustedResetMs,
  recordFailure,
  recordSuccess,
} from "./update.js";

describe("consume", () => {
  it("opens declared windows and takes one request and the estimated tokens", () => {
    const state = createTargetState();
    consume(state, 0, { requests: 10, tokens: 1000 }, 300);
    expect(state.dimensions).toEqual([
      {
        name: "requests",
        limit: 10,
        remaining: 9,
        resetAt: DECLARED_WINDOW_MS,
        source: "declared",
      },
      {
        name: "tokens",
        limit: 1000,
        remaining: 700,
        resetAt: DECLARED_WINDOW_MS,
        source: "declared",
      },
    ]);
  });

  it("rolls a declared window at its reset and forgets stale header numbers", () => {
    const state = createTargetState();
    state.dimensions.push(
      { name: "requests", limit: 10, remaining: 0, resetAt: 100, source: "declared" },
      { name: "output-tokens", limit: 10, remaining: 1, resetAt: 100, source: "headers" },
    );
    consume(state, 100, { requests: 10 }, 0);
    expect(state.dimensions).toEqual([
      {
        name: "requests",
        limit: 10,
        remaining: 9,
        resetAt: 100 + DECLARED_WINDOW_MS,
        source: "declared",
      },
    ]);
  });

  it("decrements live header numbers without going below zero", () => {
    const state = createTargetState();
    state.dimensions.push(
      { name: "requests", limit: 5, remaining: 0, resetAt: 1_000, source: "headers" },
      { name: "input-tokens", limit: 500, remaining: 100, resetAt: 1_000, source: "headers" },
    );
    consume(state, 0, {}, 250);
    expect(state.dimensions.map((d) => d.remaining)).toEqual([0, 0]);
  });
});

describe("applyObservation", () => {
  it("replaces estimates with header numbers", () => {
    const state = createTargetState();
    consume(state, 0, { requests: 10 }, 0);
    applyObservation(
      state,
      { dimensions: { requests: { limit: 50, remaining: 40, resetAt: 5_000 } } },
      0,
      {},
    );
    expect(state.dimensions).toEqual([
      { name: "requests", limit: 50, remaining: 40, resetAt: 5_000, source: "headers" },
    ]);
  });

  it("fills missing parts from live numbers, declared limits, or a one-minute window", () => {
    const state = createTargetState();
    applyObservation(state, { dimensions: { tokens: { remaining: 10 } } }, 0, { tokens: 100 });
    expect(state.dimensions[0]).toEqual({
      name: "tokens",
      limit: 100,
      remaining: 10,
      resetAt: 60_000,
      source: "headers",
      untimed: true,
    });
    applyObservation(state, { dimensions: { tokens: { remaining: 5 } } }, 10, {});
    expect(state.dimensions[0]).toMatchObject({ limit: 100, remaining: 5, resetAt: 60_000 });
    applyObservation(state, { dimensions: { requests: { remaining: 7 } } }, 0, {});
    expect(state.dimensions[1]).toMatchObject({ name: "requests", limit: 7, remaining: 7 });
  });

  it("ignores a dimension it can say nothing about, and observations without dimensions", () => {
    const state = createTargetState();
    applyObservation(state, { dimensions: { tokens: { resetAt: 5 } } }, 0, {});
    applyObservation(state, { retryAfterMs: 5 }, 0, {});
    expect(state.dimensions).toEqual([]);
  });
});

describe("capExhaustedWindows", () => {
  it("brings every exhausted window's reset forward to the Retry-After, and only those", () => {
    const state = createTargetState();
    applyObservation(state, { dimensions: { requests: { limit: 10, remaining: 0 } } }, 0, {});
    state.dimensions.push(
      { name: "tokens", limit: 5, remaining: 0, resetAt: 300_000, source: "headers" },
      { name: "input-tokens", limit: 5, remaining: 0, resetAt: 2_000, source: "headers" },
      { name: "output-tokens", limit: 5, remaining: 3, resetAt: 300_000, source: "headers" },
    );
    expect(exhaustedResetMs(state, 0)).toBe(300_000);
    capExhaustedWindows(state, 0, 7_000);
    expect(state.dimensions.map((d) => [d.name, d.resetAt, d.untimed])).toEqual([
      ["requests", 7_000, undefined],
      ["tokens", 7_000, undefined],
      ["input-tokens", 2_000, undefined],
      ["output-tokens", 300_000, undefined],
    ]);
    expect(exhaustedResetMs(state, 0)).toBe(7_000);
  });

  it("an untimed exhausted window does not count as a reset to wait for", () => {
    const state = createTargetState();
    applyObservation(state, { dimensions: { requests: { limit: 10, remaining: 0 } } }, 0, {});
    expect(exhaustedResetMs(state, 0)).toBeUndefined();
  });
});

describe("exhaustedResetMs", () => {
  it("is the latest reset among exhausted windows", () => {
    const state = createTargetState();
    expect(exhaustedResetMs(state, 0)).toBeUndefined();
    state.dimensions.push(
      { name: "requests", limit: 5, remaining: 0, resetAt: 300, source: "headers" },
      { name: "tokens", limit: 5, remaining: 0, resetAt: 700, source: "headers" },
      { name: "input-tokens", limit: 5, remaining: 2, resetAt: 900, source: "headers" },
    );
    expect(exhaustedResetMs(state, 100)).toBe(600);
  });
});

describe("breaker transitions", () => {
  const failure = (breaker = true) => ({
    now: 1_000,
    openMs: 500,
    failureThreshold: 2,
    countsTowardsBreaker: breaker,
    cooldownMs: 100,
  });

  it("opens after the threshold, keeps the longest cooldown, lowers health", () => {
    const state = createTargetState();
    state.cooldownUntil = 5_000;
    expect(recordFailure(state, failure())).toBeUndefined();
    expect(state.cooldownUntil).toBe(5_000);
    expect(state.health).toBeCloseTo(0.8);
    expect(recordFailure(state, failure())).toEqual({ from: "closed", to: "open" });
    expect(state.breaker).toMatchObject({ open: true, openedAt: 1_000, consecutiveFailures: 2 });
  });

  it("a success resets the count and closes the breaker", () => {
    const state = createTargetState();
    recordFailure(state, failure());
    expect(recordSuccess(state, 1_000, 500)).toBeUndefined();
    expect(state.breaker.consecutiveFailures).toBe(0);
    state.breaker = { open: true, openedAt: 0, consecutiveFailures: 3, probing: true };
    expect(recordSuccess(state, 1_000, 500)).toEqual({ from: "half-open", to: "closed" });
    expect(state.breaker).toMatchObject({ open: false, probing: false });
  });

  it("a failed probe reopens at once", () => {
    const state = createTargetState();
    state.breaker = { open: true, openedAt: 0, consecutiveFailures: 2, probing: true };
    expect(recordFailure(state, failure())).toEqual({ from: "half-open", to: "open" });
    expect(state.breaker).toMatchObject({ openedAt: 1_000, probing: false });
  });

  it("a rate-limited probe proves the target is up; other rate limits leave the breaker alone", () => {
    const state = createTargetState();
    state.breaker = { open: true, openedAt: 0, consecutiveFailures: 2, probing: true };
    expect(recordFailure(state, failure(false))).toEqual({ from: "half-open", to: "closed" });
    expect(state.cooldownUntil).toBe(1_100);
    expect(recordFailure(state, failure(false))).toBeUndefined();
    expect(state.breaker.consecutiveFailures).toBe(0);
  });

  it("a late failure while open changes nothing about the breaker", () => {
    const state = createTargetState();
    state.breaker = { open: true, openedAt: 900, consecutiveFailures: 2, probing: false };
    expect(recordFailure(state, failure())).toBeUndefined();
    expect(state.breaker.openedAt).toBe(900);
  });
});
