import type { GuardState, GuardStateStore } from "@switchyard/overage-guard";
import { describe, expect, it } from "vitest";
import { createCoalescingGuardStore } from "./coalescing-store.js";

function memory() {
  const saved: GuardState[] = [];
  const store: GuardStateStore = {
    load: async () => undefined,
    save: async (state) => {
      saved.push(state);
    },
  };
  return { store, saved };
}

const state = (spent: number, halts: GuardState["halts"] = []): GuardState => ({
  version: 1,
  halts,
  buckets: { daily: { periodKey: "2026-11-21", spentUsd: spent, warned: false } },
});
const halt = {
  id: "h1",
  cause: "signal" as const,
  reason: "402",
  since: 1,
  scope: { backend: "oa" },
};

describe("createCoalescingGuardStore", () => {
  it("merges spend-only saves into one delayed write", async () => {
    const { store, saved } = memory();
    const coalescing = createCoalescingGuardStore(store, { delayMs: 20 });
    await coalescing.load();
    for (let i = 1; i <= 5; i++) await coalescing.save(state(i));
    expect(saved).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(saved.map((s) => s.buckets.daily?.spentUsd)).toEqual([5]);
  });

  it("writes a change of halts at once, and flush() writes pending spend", async () => {
    const { store, saved } = memory();
    const coalescing = createCoalescingGuardStore(store, { delayMs: 10_000 });
    await coalescing.load();
    await coalescing.save(state(1));
    await coalescing.save(state(2, [halt]));
    expect(saved.map((s) => s.halts.length)).toEqual([1]);
    await coalescing.save(state(3, [halt]));
    expect(saved).toHaveLength(1);
    await coalescing.flush();
    expect(saved.map((s) => s.buckets.daily?.spentUsd)).toEqual([2, 3]);
    await coalescing.save(state(3));
    expect(saved.at(-1)?.halts).toEqual([]);
  });

  it("a failed write rejects its save and does not block the next", async () => {
    let fail = true;
    const written: GuardState[] = [];
    const coalescing = createCoalescingGuardStore(
      {
        load: async () => undefined,
        save: async (s) => {
          if (fail) throw new Error("disk full");
          written.push(s);
        },
      },
      { delayMs: 10_000 },
    );
    await coalescing.load();
    await expect(coalescing.save(state(1, [halt]))).rejects.toThrow("disk full");
    fail = false;
    // The failed halt never reached the disk, so it still counts as a change.
    await coalescing.save(state(2, [halt]));
    expect(written.map((s) => s.halts.length)).toEqual([1]);
  });

  it("runs beforeWrite (the usage log flush) before every write of the state", async () => {
    const order: string[] = [];
    const store: GuardStateStore = {
      load: async () => undefined,
      save: async () => {
        order.push("state");
      },
    };
    const coalescing = createCoalescingGuardStore(store, {
      delayMs: 5,
      beforeWrite: async () => {
        await new Promise((r) => setTimeout(r, 10));
        order.push("usage log");
      },
    });
    await coalescing.load();
    await coalescing.save(state(1, [halt]));
    await coalescing.save(state(2, [halt]));
    await coalescing.flush();
    expect(order).toEqual(["usage log", "state", "usage log", "state"]);
  });
});
