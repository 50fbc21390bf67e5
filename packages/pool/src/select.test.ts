import { describe, expect, it } from "vitest";
import { hash32, mix32, rendezvousScore } from "./internal/hash.js";
import { type SelectionInput, selectTarget } from "./select.js";
import { createTargetState, type TargetState } from "./state.js";

const NOW = 100_000;
const OPEN_MS = 10_000;

function input(states: TargetState[], extra: Partial<SelectionInput> = {}): SelectionInput {
  return {
    targets: states.map((_, i) => ({ id: `t${i}`, weight: 1, idHash: hash32(`t${i}`) })),
    states,
    now: NOW,
    openMs: OPEN_MS,
    headroomFloor: 0.1,
    tried: [],
    boundIndex: -1,
    virtualClock: 0,
    ...extra,
  };
}

function withHeadroom(remaining: number, limit = 100): TargetState {
  const state = createTargetState();
  state.dimensions.push({
    name: "requests",
    limit,
    remaining,
    resetAt: NOW + 1_000,
    source: "headers",
  });
  return state;
}

const cooling = () => ({ ...createTargetState(), cooldownUntil: NOW + 1 });
const open = (openedAt = NOW) => {
  const state = createTargetState();
  state.breaker = { open: true, openedAt, consecutiveFailures: 5, probing: false };
  return state;
};

describe("selectTarget", () => {
  it("returns undefined when nothing is available", () => {
    expect(selectTarget(input([cooling(), open(), withHeadroom(0)]))).toBeUndefined();
  });

  it("skips cooling, open and exhausted targets", () => {
    const result = selectTarget(input([cooling(), open(), withHeadroom(0), withHeadroom(1)]));
    expect(result).toEqual({ index: 3, reason: "headroom" });
  });

  it("treats an exhausted window past its reset as full", () => {
    const state = withHeadroom(0);
    state.dimensions[0]!.resetAt = NOW;
    expect(selectTarget(input([withHeadroom(50), state]))?.index).toBe(1);
  });

  it("picks the most headroom, then the least virtual time, then the earlier target", () => {
    expect(selectTarget(input([withHeadroom(40), withHeadroom(90)]))?.index).toBe(1);
    const a = withHeadroom(90);
    const b = withHeadroom(92); // same 5% step as a
    a.vtime = 3;
    b.vtime = 2;
    expect(selectTarget(input([a, b]))?.index).toBe(1);
    expect(selectTarget(input([withHeadroom(90), withHeadroom(92)]))?.index).toBe(0);
  });

  it("counts virtual time below the pool clock as the pool clock (no catch-up burst)", () => {
    const returning = createTargetState(); // vtime 0, e.g. back from a long cooldown
    const busy = createTargetState();
    busy.vtime = 50;
    expect(selectTarget(input([busy, returning], { virtualClock: 50 }))?.index).toBe(0);
  });

  it("weighs headroom by health", () => {
    const sick = createTargetState();
    sick.health = 0.5;
    sick.healthAt = NOW;
    expect(selectTarget(input([sick, withHeadroom(80)]))?.index).toBe(1);
  });

  it("prefers untried targets, but retries a tried one when it is the only one left", () => {
    expect(selectTarget(input([withHeadroom(100), withHeadroom(20)], { tried: [0] }))).toEqual({
      index: 1,
      reason: "headroom",
    });
    expect(selectTarget(input([withHeadroom(100), cooling()], { tried: [0] }))).toEqual({
      index: 0,
      reason: "retry",
    });
  });

  it("uses random to break ties when given", () => {
    const states = [createTargetState(), createTargetState(), createTargetState()];
    expect(selectTarget(input(states, { random: () => 0 }))?.index).toBe(2);
    expect(selectTarget(input(states, { random: () => 0.99 }))?.index).toBe(0);
  });

  describe("half-open", () => {
    it("sends one trial request to a half-open target for a keyless request", () => {
      expect(selectTarget(input([createTargetState(), open(NOW - OPEN_MS)]))).toEqual({
        index: 1,
        reason: "probe",
      });
    });

    it("never sends a second trial while one is in flight", () => {
      const probing = open(NOW - OPEN_MS);
      probing.breaker.probing = true;
      expect(selectTarget(input([probing]))).toBeUndefined();
    });

    it("does not bind a sticky key to a half-open target while a healthy one exists", () => {
      const result = selectTarget(
        input([open(NOW - OPEN_MS), createTargetState()], { keyHash: 1 }),
      );
      expect(result).toEqual({ index: 1, reason: "bind" });
    });
  });

  describe("sticky keys", () => {
    it("keeps the bound target while healthy, even with less headroom", () => {
      const result = selectTarget(
        input([withHeadroom(15), withHeadroom(100)], { keyHash: 7, boundIndex: 0 }),
      );
      expect(result).toEqual({ index: 0, reason: "sticky" });
    });

    it("rebinds below the floor, when cooling, when open, or when already tried", () => {
      for (const bound of [withHeadroom(5), cooling(), open()]) {
        const result = selectTarget(
          input([bound, withHeadroom(50)], { keyHash: 7, boundIndex: 0 }),
        );
        expect(result).toEqual({ index: 1, reason: "rebind" });
      }
      const tried = selectTarget(
        input([withHeadroom(90), withHeadroom(50)], { keyHash: 7, boundIndex: 0, tried: [0] }),
      );
      expect(tried).toEqual({ index: 1, reason: "rebind" });
    });

    it("binds by weighted rendezvous hashing, stable when other targets vanish", () => {
      const states = Array.from({ length: 8 }, () => createTargetState());
      const targets = states.map((_, i) => ({ id: `t${i}`, weight: 1, idHash: hash32(`t${i}`) }));
      for (let k = 0; k < 50; k++) {
        const keyHash = hash32(`key-${k}`);
        const owner = selectTarget(input(states, { keyHash }))!.index;
        const scores = targets.map((t) => rendezvousScore(keyHash, t.idHash, t.weight));
        expect(owner).toBe(scores.indexOf(Math.max(...scores)));
        // Taking a different target away never moves the key.
        const other = (owner + 1) % 8;
        const reduced = states.map((s, i) => (i === other ? cooling() : s));
        expect(selectTarget(input(reduced, { keyHash }))!.index).toBe(owner);
      }
    });

    it("falls back to the best available target when none is above the floor", () => {
      const result = selectTarget(
        input([withHeadroom(4), withHeadroom(8)], { keyHash: 7, boundIndex: 0 }),
      );
      expect(result).toEqual({ index: 1, reason: "headroom" });
    });
  });
});

describe("hash helpers", () => {
  it("hash32 is FNV-1a and mix32 spreads bits", () => {
    expect(hash32("")).toBe(0x811c9dc5);
    expect(hash32("a")).toBe(0xe40c292c);
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).not.toBe(mix32(2));
  });

  it("rendezvousScore grows with weight", () => {
    expect(rendezvousScore(1, 2, 2)).toBeCloseTo(2 * rendezvousScore(1, 2, 1));
  });
});
