import { describe, expect, it, vi } from "vitest";
import { OverageGuardError } from "./errors.js";
import { createOverageGuard } from "./guard.js";
import { createMemoryGuardStateStore } from "./memory-store.js";
import type { GuardEvent, GuardNotification, OverageGuardOptions } from "./types.js";

const T0 = Date.parse("2026-11-21T10:00:00.000Z");
const req = { backend: "openai", model: "gpt-4o" };

function setup(options: OverageGuardOptions = {}) {
  let time = T0;
  const events: GuardEvent[] = [];
  const notes: GuardNotification[] = [];
  const guard = createOverageGuard({
    now: () => time,
    onEvent: (e) => events.push(e),
    notify: (n) => {
      notes.push(n);
    },
    ...options,
  });
  return {
    guard,
    events,
    notes,
    advance: (ms: number) => {
      time += ms;
    },
    at: (iso: string) => {
      time = Date.parse(iso);
    },
  };
}

describe("budgets, behavior halt", () => {
  it("halts when spend passes a daily budget and denies with why, since and how", () => {
    const { guard, events, notes } = setup({
      budgets: [{ name: "daily", limitUsd: 1, period: "day" }],
    });
    guard.record({ ...req, costUsd: 0.6 });
    expect(guard.check(req)).toEqual({ allowed: true });
    guard.record({ ...req, costUsd: 0.5 });
    const denied = guard.check({ backend: "anthropic", model: "claude-sonnet-4-5" });
    expect(denied).toMatchObject({
      allowed: false,
      code: "halted",
      reason: 'daily budget "daily" exceeded: $1.10 spent of $1.00',
      since: "2026-11-21T10:00:00.000Z",
      until: "2026-11-22T00:00:00.000Z",
      budget: { key: "daily", limitUsd: 1, periodKey: "2026-11-21" },
    });
    expect(denied.allowed === false && denied.resumeHint).toContain("switchyard resume");
    expect(events.map((e) => e.type)).toEqual(["spend", "spend", "halt"]);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.level).toBe("halt");
  });

  it("does not halt at exactly the limit", () => {
    const { guard } = setup({ budgets: [{ limitUsd: 1, period: "month" }] });
    guard.record({ ...req, costUsd: 1 });
    expect(guard.check(req).allowed).toBe(true);
  });

  it("scopes budgets to a backend and a model glob", () => {
    const { guard } = setup({
      budgets: [{ backend: "anthropic", model: "claude-opus-*", limitUsd: 2, period: "month" }],
    });
    guard.record({ backend: "anthropic", model: "claude-sonnet-4-5", costUsd: 5 });
    guard.record({ backend: "openai", model: "claude-opus-4-1", costUsd: 5 });
    expect(guard.check({ backend: "anthropic", model: "claude-opus-4-1" }).allowed).toBe(true);
    guard.record({ backend: "anthropic", model: "CLAUDE-OPUS-4-1", costUsd: 2.5 });
    expect(guard.check({ backend: "anthropic", model: "claude-opus-4-7" }).allowed).toBe(false);
    expect(guard.check({ backend: "anthropic", model: "claude-sonnet-4-5" }).allowed).toBe(true);
    expect(guard.check({ backend: "openai", model: "claude-opus-4-1" }).allowed).toBe(true);
  });

  it("lifts a daily halt at the next UTC midnight with a period resume", () => {
    const { guard, events, at } = setup({ budgets: [{ limitUsd: 1, period: "day" }] });
    guard.record({ ...req, costUsd: 2 });
    expect(guard.check(req).allowed).toBe(false);
    at("2026-11-21T23:59:59.999Z");
    expect(guard.check(req).allowed).toBe(false);
    at("2026-11-22T00:00:00.000Z");
    expect(guard.check(req).allowed).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "resume", by: "period" });
  });

  it("ignores spend dated in an earlier period", () => {
    const { guard } = setup({ budgets: [{ limitUsd: 1, period: "day" }] });
    guard.record({ ...req, costUsd: 5, time: "2026-11-20T23:00:00Z" });
    expect(guard.check(req).allowed).toBe(true);
    expect(guard.snapshot().budgets[0]?.spentUsd).toBe(0);
  });
});

describe("manual resume", () => {
  it("lifts halts without resetting spend, and the same crossing does not re-halt", () => {
    const { guard, events } = setup({ budgets: [{ name: "d", limitUsd: 1, period: "day" }] });
    guard.record({ ...req, costUsd: 1.5 });
    expect(guard.check(req).allowed).toBe(false);
    const lifted = guard.resume();
    expect(lifted).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: "resume", by: "manual" });
    expect(guard.check(req).allowed).toBe(true);
    guard.record({ ...req, costUsd: 0.25 });
    expect(guard.check(req).allowed).toBe(true);
    const snap = guard.snapshot();
    expect(snap.halted).toBe(false);
    expect(snap.budgets[0]).toMatchObject({ spentUsd: 1.75, acknowledged: true });
  });

  it("re-halts when the budget is changed and crossed again, and resets next period", () => {
    const store = createMemoryGuardStateStore();
    const first = setup({ store, budgets: [{ name: "d", limitUsd: 1, period: "day" }] });
    first.guard.record({ ...req, costUsd: 1.5 });
    first.guard.check(req);
    first.guard.resume();
    // The same budget raised to $2 (a new guard, as after a config reload).
    return first.guard.flush().then(async () => {
      const raised = setup({ store, budgets: [{ name: "d", limitUsd: 2, period: "day" }] });
      await raised.guard.load();
      expect(raised.guard.check(req).allowed).toBe(true);
      raised.guard.record({ ...req, costUsd: 0.6 });
      expect(raised.guard.check(req)).toMatchObject({ allowed: false, budget: { spentUsd: 2.1 } });
    });
  });
});

describe("signals", () => {
  it("reads a signal without detail by its kind, and refuses an unknown kind", () => {
    const { guard } = setup();
    guard.signal({ kind: "insufficient-quota", backend: "openai" } as never);
    expect(guard.snapshot().halts[0]?.reason).toBe("openai: insufficient-quota");
    expect(() => guard.signal({ kind: "over-budget", detail: "x" } as never)).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
  });

  it.each([
    ["payment-required", "openrouter"],
    ["insufficient-quota", "openai"],
    ["credits-exhausted", "anthropic"],
    ["overage-billed", "anthropic"],
    ["usage-limit", "claude"],
  ] as const)("%s halts the signalling backend only", (kind, backend) => {
    const { guard, events } = setup();
    guard.signal({ kind, backend, detail: "test detail" });
    const denied = guard.check({ backend, model: "m" });
    expect(denied).toMatchObject({
      allowed: false,
      reason: `${backend}: test detail`,
      signal: { kind, backend },
    });
    expect(guard.check({ backend: "other", model: "m" }).allowed).toBe(true);
    expect(events.filter((e) => e.type === "halt")).toHaveLength(1);
  });

  it("a signal without backend halts everything; repeats do not stack", () => {
    const { guard, events } = setup();
    guard.signal({ kind: "payment-required", detail: "x" });
    guard.signal({ kind: "payment-required", detail: "x" });
    expect(guard.check(req).allowed).toBe(false);
    expect(events.filter((e) => e.type === "halt")).toHaveLength(1);
  });

  it("lifts after the cooldown", () => {
    const { guard, events, advance } = setup({ cooldownMs: 60_000 });
    guard.signal({ kind: "insufficient-quota", backend: "openai", detail: "quota" });
    const denied = guard.check(req);
    expect(denied).toMatchObject({ allowed: false, until: "2026-11-21T10:01:00.000Z" });
    expect(denied.allowed === false && denied.resumeHint).toContain("cooldown ends");
    advance(59_999);
    expect(guard.check(req).allowed).toBe(false);
    advance(1);
    expect(guard.check(req).allowed).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "resume", by: "cooldown" });
  });

  it("with no cooldown waits for a manual resume", () => {
    const { guard, advance } = setup();
    guard.signal({ kind: "overage-billed", backend: "openai", detail: "overage" });
    advance(30 * 86_400_000);
    expect(guard.check(req).allowed).toBe(false);
    guard.resume();
    expect(guard.check(req).allowed).toBe(true);
  });
});

describe("behavior warn", () => {
  it("never denies; warns once per crossing and dedupes signal warnings", () => {
    const { guard, events, notes, advance } = setup({
      behavior: "warn",
      budgets: [{ limitUsd: 1, period: "day" }],
    });
    guard.record({ ...req, costUsd: 2 });
    guard.record({ ...req, costUsd: 2 });
    guard.signal({ kind: "overage-billed", backend: "openai", detail: "overage" });
    guard.signal({ kind: "overage-billed", backend: "openai", detail: "overage" });
    expect(guard.check(req)).toEqual({ allowed: true });
    const r = guard.reserve({ ...req, estimatedCostUsd: 100 });
    expect(r.allowed).toBe(true);
    const warns = events.filter((e) => e.type === "warn");
    expect(warns).toHaveLength(2);
    expect(notes.map((n) => n.level)).toEqual(["warn", "warn"]);
    advance(3_600_000);
    guard.signal({ kind: "overage-billed", backend: "openai", detail: "overage" });
    expect(events.filter((e) => e.type === "warn")).toHaveLength(3);
    expect(events.some((e) => e.type === "halt")).toBe(false);
  });
});

describe("persistence", () => {
  it("a new guard on the same store stays halted after a restart", async () => {
    const store = createMemoryGuardStateStore();
    const a = setup({ store, cooldownMs: 0 });
    a.guard.signal({ kind: "payment-required", backend: "openai", detail: "402" });
    await a.guard.flush();
    const b = setup({ store });
    expect(b.guard.check(req).allowed).toBe(true); // not loaded yet
    await b.guard.load();
    expect(b.guard.check(req)).toMatchObject({ allowed: false, since: "2026-11-21T10:00:00.000Z" });
    b.guard.resume();
    await b.guard.flush();
    const c = setup({ store });
    await c.guard.load();
    expect(c.guard.check(req).allowed).toBe(true);
  });

  it("restores spend so a crossed budget halts on the next check", async () => {
    const store = createMemoryGuardStateStore();
    const budgets = [{ limitUsd: 1, period: "month" as const }];
    const a = setup({ store, budgets });
    a.guard.record({ ...req, costUsd: 0.9 });
    await a.guard.flush();
    const b = setup({ store, budgets });
    await b.guard.load();
    b.guard.record({ ...req, costUsd: 0.2 });
    expect(b.guard.check(req)).toMatchObject({ allowed: false, budget: { spentUsd: 1.1 } });
  });

  it("restoreSpend raises spend to what the usage log holds, never lowers it, and halts", async () => {
    const store = createMemoryGuardStateStore();
    const budgets = [
      { name: "day", limitUsd: 1, period: "day" as const },
      { name: "other", backend: "anthropic", limitUsd: 1, period: "day" as const },
    ];
    const first = setup({ store, budgets });
    first.guard.record({ ...req, costUsd: 0.3 });
    await first.guard.flush();
    // The process died after more requests completed; their records are in the log.
    const { guard, events } = setup({ store, budgets });
    await guard.load();
    const at = new Date(T0).toISOString();
    guard.restoreSpend([
      { ...req, costUsd: 0.5, time: at },
      { ...req, costUsd: 0.6, time: at },
      { ...req, costUsd: 9, time: "2026-11-20T10:00:00Z" }, // yesterday: not today's spend
    ]);
    const day = () => guard.snapshot().budgets.find((b) => b.key === "day");
    expect(day()?.spentUsd).toBeCloseTo(1.1, 9);
    expect(guard.snapshot().budgets.find((b) => b.key === "other")?.spentUsd).toBe(0);
    expect(events).toEqual([]);
    expect(guard.check(req)).toMatchObject({ allowed: false, code: "halted" });
    guard.restoreSpend([{ ...req, costUsd: 0.1, time: at }]);
    expect(day()?.spentUsd).toBeCloseTo(1.1, 9);
    await guard.flush();
    expect((await store.load())?.buckets.day?.spentUsd).toBeCloseTo(1.1, 9);
  });

  it("logs and survives a failing store", async () => {
    const logger = { warn: vi.fn() };
    const { guard } = setup({
      logger,
      store: { load: async () => undefined, save: async () => Promise.reject(new Error("disk")) },
    });
    guard.signal({ kind: "payment-required", detail: "x" });
    await guard.flush();
    expect(logger.warn).toHaveBeenCalledWith(
      "overage-guard: saving state failed",
      expect.any(Error),
    );
    expect(guard.check(req).allowed).toBe(false);
  });
});

describe("reservations", () => {
  it("concurrent reservations cannot overshoot a nearly spent budget by more than one request", () => {
    const { guard } = setup({ budgets: [{ limitUsd: 1, period: "day" }] });
    guard.record({ ...req, costUsd: 0.95 });
    const results = Array.from({ length: 10 }, () =>
      guard.reserve({ ...req, estimatedCostUsd: 0.02 }),
    );
    const admitted = results.filter((r) => r.allowed);
    // First is admitted alone; the second fits (0.95 + 0.02 + 0.02 ≤ 1); the rest are held off.
    expect(admitted).toHaveLength(2);
    const denied = results.find((r) => !r.allowed);
    expect(denied).toMatchObject({ code: "budget_in_flight", budget: { spentUsd: 0.95 } });
    expect(guard.snapshot().budgets[0]?.reservedUsd).toBeCloseTo(0.04, 10);
    for (const r of admitted) if (r.allowed) r.reservation.commit(0.02);
    expect(guard.snapshot().budgets[0]?.spentUsd).toBeCloseTo(0.99, 10);
    expect(guard.check(req).allowed).toBe(true);
    // Alone, a request may still cross the limit; then the guard halts.
    const last = guard.reserve({ ...req, estimatedCostUsd: 0.05 });
    expect(last.allowed).toBe(true);
    if (last.allowed) last.reservation.commit(0.05);
    expect(guard.check(req).allowed).toBe(false);
    expect(guard.snapshot().budgets[0]?.spentUsd).toBeLessThanOrEqual(1 + 0.05);
  });

  it("drops a hold nobody settled after reservationTimeoutMs, with a warning", () => {
    const logger = { warn: vi.fn() };
    const { guard, advance } = setup({
      budgets: [{ limitUsd: 0.01, period: "day" }],
      reservationTimeoutMs: 60_000,
      logger,
    });
    // The caller's code throws between reserve() and commit()/release().
    expect(guard.reserve({ ...req, estimatedCostUsd: 0.01 }).allowed).toBe(true);
    expect(guard.reserve({ ...req, estimatedCostUsd: 0.01 })).toMatchObject({
      allowed: false,
      code: "budget_in_flight",
    });
    advance(60_000);
    expect(guard.snapshot().budgets[0]?.reservedUsd).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(
      "overage-guard: 1 reservation(s) neither committed nor released within 60000 ms; their holds were dropped",
    );
    expect(guard.reserve({ ...req, estimatedCostUsd: 0.01 }).allowed).toBe(true);
    expect(() => createOverageGuard({ reservationTimeoutMs: 0 })).toThrow(
      "reservationTimeoutMs must be a positive number",
    );
  });

  it("release frees the hold and commit/release are idempotent", () => {
    const { guard } = setup({ budgets: [{ limitUsd: 1, period: "day" }] });
    const a = guard.reserve({ ...req, estimatedCostUsd: 0.9 });
    const b = guard.reserve({ ...req, estimatedCostUsd: 0.2 });
    expect(a.allowed).toBe(true);
    expect(b.allowed).toBe(false);
    if (!a.allowed) return;
    a.reservation.release();
    a.reservation.commit(5);
    expect(guard.snapshot().budgets[0]).toMatchObject({ spentUsd: 0, reservedUsd: 0 });
    const c = guard.reserve({ ...req, estimatedCostUsd: 0.2 });
    expect(c.allowed).toBe(true);
  });

  it("a halted guard refuses reservations", () => {
    const { guard } = setup();
    guard.signal({ kind: "payment-required", backend: "openai", detail: "402" });
    expect(guard.reserve({ ...req, estimatedCostUsd: 0 })).toMatchObject({ code: "halted" });
  });
});

describe("robustness", () => {
  it("a throwing listener or notifier does not break the guard", async () => {
    const logger = { warn: vi.fn() };
    const guard = createOverageGuard({
      logger,
      onEvent: () => {
        throw new Error("listener");
      },
      notify: async () => Promise.reject(new Error("notify")),
    });
    const seen: string[] = [];
    const off = guard.subscribe((e) => seen.push(e.type));
    guard.signal({ kind: "payment-required", detail: "x" });
    off();
    guard.resume();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(["halt"]);
    expect(logger.warn).toHaveBeenCalledWith(
      "overage-guard: event listener threw",
      expect.any(Error),
    );
    expect(logger.warn).toHaveBeenCalledWith("overage-guard: notify failed", expect.any(Error));
  });

  it("rejects invalid options with a code", () => {
    const bad = [
      () => createOverageGuard({ budgets: [{ limitUsd: -1, period: "day" }] }),
      () => createOverageGuard({ budgets: [{ limitUsd: 1, period: "week" as "day" }] }),
      () => createOverageGuard({ cooldownMs: -5 }),
      () => createOverageGuard({ behavior: "panic" as "warn" }),
      () => createOverageGuard({ budgets: [null as never] }),
      () => createOverageGuard({ budgets: "x" as never }),
      () => createOverageGuard({ budgets: [{ limitUsd: 1, period: "day", model: 5 as never }] }),
      () => createOverageGuard({ budgets: [{ limitUsd: 1, period: "day", backend: 1 as never }] }),
    ];
    const codes = bad.map((f) => {
      try {
        f();
        return "none";
      } catch (error) {
        return OverageGuardError.isInstance(error) ? error.code : "other";
      }
    });
    expect(codes).toEqual([
      "invalid_budget",
      "invalid_budget",
      "invalid_option",
      "invalid_option",
      "invalid_budget",
      "invalid_budget",
      "invalid_budget",
      "invalid_budget",
    ]);
  });
});
