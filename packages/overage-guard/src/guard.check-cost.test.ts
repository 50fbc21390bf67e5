import { afterEach, describe, expect, it, vi } from "vitest";
import { createOverageGuard } from "./guard.js";

const req = { backend: "openai", model: "gpt-4o" };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("check() when nothing can deny", () => {
  it("walks no halt or budget list (it runs for every request)", () => {
    let time = Date.parse("2026-11-21T10:00:00.000Z");
    const guard = createOverageGuard({ now: () => time, notify: () => {} });
    const filter = vi.spyOn(Array.prototype, "filter");
    const find = vi.spyOn(Array.prototype, "find");
    const results: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      results.push(guard.check(req));
      time += 1_000;
    }
    const calls = filter.mock.calls.length + find.mock.calls.length;
    vi.restoreAllMocks();
    expect(results).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(calls).toBe(0);
    // No object per request either: every allowed answer is the same frozen one.
    expect(results[1]).toBe(results[0]);
    expect(Object.isFrozen(results[0])).toBe(true);
  });

  it("still lifts a halt whose cooldown ended and still denies while it lasts", () => {
    let time = Date.parse("2026-11-21T10:00:00.000Z");
    const events: string[] = [];
    const guard = createOverageGuard({
      now: () => time,
      notify: () => {},
      cooldownMs: 60_000,
      onEvent: (e) => events.push(e.type),
    });
    guard.signal({ kind: "payment-required", detail: "402", backend: "openai" });
    expect(guard.check(req).allowed).toBe(false);
    time += 60_000;
    expect(guard.check(req)).toEqual({ allowed: true });
    expect(events).toEqual(["halt", "resume"]);
  });
});
