import { createOverageGuard } from "@switchyard/overage-guard";
import { describe, expect, it } from "vitest";
import { guardStatusSummary, toGuardView } from "./guard-routes.js";

const t0 = Date.UTC(2026, 10, 21, 10, 0, 0);

describe("GET /guard view", () => {
  it("reports budgets with scope and an active halt with reason, since and cooldownUntil", () => {
    const guard = createOverageGuard({
      budgets: [
        { name: "team", limitUsd: 1, period: "day" },
        { backend: "an", model: "claude-*", limitUsd: 5, period: "month" },
      ],
      cooldownMs: 60_000,
      now: () => t0,
      logger: { warn: () => {} },
    });
    guard.record({ backend: "oa", model: "gpt", costUsd: 0.25 });
    expect(toGuardView(guard.snapshot())).toMatchObject({
      enabled: true,
      behavior: "halt",
      state: "ok",
      halts: [],
      budgets: [
        { name: "team", period: "day", limitUsd: 1, spentUsd: 0.25 },
        { period: "month", limitUsd: 5, spentUsd: 0, scope: "backend=an model=claude-*" },
      ],
    });
    guard.signal({ kind: "payment-required", backend: "oa", detail: "402" });
    const view = toGuardView(guard.snapshot());
    expect(view).toMatchObject({
      state: "halted",
      since: new Date(t0).toISOString(),
      cooldownUntil: new Date(t0 + 60_000).toISOString(),
    });
    expect(view.reason).toContain("402");
    expect(
      guardStatusSummary(guard, {
        overageGuard: { enabled: true, behavior: "halt", cooldownMs: 0, notifyOs: false },
      }),
    ).toMatchObject({ enabled: true, state: "halted", halts: 1, budgets: 2 });
  });

  it("omits cooldownUntil when a halt only lifts by hand", () => {
    const guard = createOverageGuard({ now: () => t0, logger: { warn: () => {} } });
    guard.signal({ kind: "credits-exhausted", detail: "out of credits" });
    expect(toGuardView(guard.snapshot()).cooldownUntil).toBeUndefined();
  });
});
