import { describe, expect, it } from "vitest";
import {
  availableAt,
  breakerState,
  dimensionHeadroom,
  isAvailable,
  isHealthy,
  targetHeadroom,
} from "./headroom.js";
import { createTargetState, type DimensionState } from "./state.js";

const dim = (remaining: number, limit: number, resetAt: number): DimensionState => ({
  name: "requests",
  limit,
  remaining,
  resetAt,
  source: "headers",
});

describe("headroom", () => {
  it("is remaining/limit before the reset and full after it", () => {
    expect(dimensionHeadroom(dim(25, 100, 10), 9)).toBe(0.25);
    expect(dimensionHeadroom(dim(25, 100, 10), 10)).toBe(1);
  });

  it("clamps to [0, 1] and handles a zero limit", () => {
    expect(dimensionHeadroom(dim(150, 100, 10), 0)).toBe(1);
    expect(dimensionHeadroom(dim(-5, 100, 10), 0)).toBe(0);
    expect(dimensionHeadroom(dim(0, 0, 10), 0)).toBe(0);
    expect(dimensionHeadroom(dim(3, 0, 10), 0)).toBe(1);
  });

  it("is the tightest dimension of a target, 1 when nothing is known", () => {
    const state = createTargetState();
    expect(targetHeadroom(state, 0)).toBe(1);
    state.dimensions.push(dim(50, 100, 10), { ...dim(10, 100, 10), name: "tokens" });
    expect(targetHeadroom(state, 0)).toBe(0.1);
  });
});

describe("availability", () => {
  it("waits for the cooldown and for exhausted windows", () => {
    const state = createTargetState();
    expect(availableAt(state, 100, 1_000)).toBe(0);
    state.cooldownUntil = 150;
    state.dimensions.push(dim(0, 10, 300), { ...dim(0, 10, 50), name: "tokens" });
    expect(availableAt(state, 100, 1_000)).toBe(300);
    expect(isAvailable(state, 299, 1_000)).toBe(false);
    expect(isAvailable(state, 300, 1_000)).toBe(true);
  });

  it("follows the breaker: open until openMs, then one probe", () => {
    const state = createTargetState();
    state.breaker = { open: true, openedAt: 100, consecutiveFailures: 3, probing: false };
    expect(breakerState(state.breaker, 1_099, 1_000)).toBe("open");
    expect(availableAt(state, 500, 1_000)).toBe(1_100);
    expect(breakerState(state.breaker, 1_100, 1_000)).toBe("half-open");
    expect(isAvailable(state, 1_100, 1_000)).toBe(true);
    state.breaker.probing = true;
    expect(availableAt(state, 1_100, 1_000)).toBe(Number.POSITIVE_INFINITY);
    state.breaker.open = false;
    expect(breakerState(state.breaker, 1_100, 1_000)).toBe("closed");
  });

  it("calls a target healthy only when available, closed and above the floor", () => {
    const state = createTargetState();
    state.dimensions.push(dim(20, 100, 1_000));
    expect(isHealthy(state, 0, 1_000, 0.2)).toBe(true);
    expect(isHealthy(state, 0, 1_000, 0.21)).toBe(false);
    state.breaker = { open: true, openedAt: -5_000, consecutiveFailures: 1, probing: false };
    expect(isAvailable(state, 0, 1_000)).toBe(true); // half-open
    expect(isHealthy(state, 0, 1_000, 0)).toBe(false);
  });
});

describe("assessTarget", () => {
  it("agrees with isAvailable and targetHeadroom on generated states", async () => {
    const { assessTarget } = await import("./headroom.js");
    const fc = (await import("fast-check")).default;
    const dimension = fc.record({
      name: fc.constantFrom("requests", "tokens"),
      limit: fc.integer({ min: 0, max: 10 }),
      remaining: fc.integer({ min: -1, max: 12 }),
      resetAt: fc.integer({ min: 0, max: 200 }),
      source: fc.constant("headers" as const),
    });
    fc.assert(
      fc.property(
        fc.array(dimension, { maxLength: 3 }),
        fc.integer({ min: 0, max: 200 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 200 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 200 }),
        (dimensions, cooldownUntil, open, openedAt, probing, now) => {
          const state = createTargetState();
          state.dimensions = dimensions;
          state.cooldownUntil = cooldownUntil;
          state.breaker = { open, openedAt, consecutiveFailures: 1, probing };
          const assessed = assessTarget(state, now, 50);
          if (isAvailable(state, now, 50)) expect(assessed).toBe(targetHeadroom(state, now));
          else expect(assessed).toBe(-1);
        },
      ),
    );
  });
});

describe("currentHealth", () => {
  it("recovers towards 1 with a 30 s half-life", async () => {
    const { currentHealth, HEALTH_HALF_LIFE_MS } = await import("./headroom.js");
    const state = createTargetState();
    expect(currentHealth(state, 5)).toBe(1);
    state.health = 0.6;
    state.healthAt = 1_000;
    expect(currentHealth(state, 1_000)).toBe(0.6);
    expect(currentHealth(state, 500)).toBe(0.6); // clock went backwards: no change
    expect(currentHealth(state, 1_000 + HEALTH_HALF_LIFE_MS)).toBeCloseTo(0.8);
    expect(currentHealth(state, 1_000 + 2 * HEALTH_HALF_LIFE_MS)).toBeCloseTo(0.9);
  });
});
