import type { BudgetStatus, GuardSnapshot, Halt, OverageGuard } from "@switchyard/overage-guard";
import type { ResolvedConfig } from "../config/types.js";
import type { AdminHandler } from "./admin.js";

/** One budget as `GET /guard` reports it. */
export interface GuardBudgetView {
  name: string;
  period: BudgetStatus["period"];
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  /** What the budget counts, e.g. `backend=claude model=claude-*`; all traffic when absent. */
  scope?: string;
}

/** The body of `GET /guard` (also what the MCP server's `guard` tool reads). */
export interface GuardView {
  enabled: boolean;
  behavior: "halt" | "warn";
  state: "ok" | "halted";
  /** Why it halted (every active halt's reason, `; `-joined). */
  reason?: string;
  /** ISO time of the earliest active halt. */
  since?: string;
  /** ISO time the halt lifts by itself, when every active halt does. */
  cooldownUntil?: string;
  halts: Halt[];
  budgets: GuardBudgetView[];
}

const iso = (ms: number) => new Date(ms).toISOString();

function scopeOf(b: { backend?: string; model?: string }): string | undefined {
  const parts: string[] = [];
  if (b.backend !== undefined) parts.push(`backend=${b.backend}`);
  if (b.model !== undefined) parts.push(`model=${b.model}`);
  return parts.length > 0 ? parts.join(" ") : undefined;
}

/** Renders a guard snapshot as the `GET /guard` body. */
export function toGuardView(snapshot: GuardSnapshot): GuardView {
  const { halts } = snapshot;
  const view: GuardView = {
    enabled: true,
    behavior: snapshot.behavior,
    state: halts.length > 0 ? "halted" : "ok",
    halts,
    budgets: snapshot.budgets.map((b) => {
      const scope = scopeOf(b);
      return {
        name: b.name ?? b.key,
        period: b.period,
        limitUsd: b.limitUsd,
        spentUsd: b.spentUsd,
        reservedUsd: b.reservedUsd,
        ...(scope === undefined ? {} : { scope }),
      };
    }),
  };
  if (halts.length > 0) {
    view.reason = halts.map((h) => h.reason).join("; ");
    view.since = iso(Math.min(...halts.map((h) => h.since)));
    if (halts.every((h) => h.until !== undefined)) {
      view.cooldownUntil = iso(Math.max(...halts.map((h) => h.until ?? 0)));
    }
  }
  return view;
}

/** `GET /guard` when the guard is disabled. */
function disabledView(config: Pick<ResolvedConfig, "overageGuard">): GuardView {
  return {
    enabled: false,
    behavior: config.overageGuard.behavior,
    state: "ok",
    halts: [],
    budgets: [],
  };
}

/** The guard line of `GET /status`. */
export function guardStatusSummary(
  guard: OverageGuard | undefined,
  config: Pick<ResolvedConfig, "overageGuard">,
): Record<string, unknown> {
  const view = guard === undefined ? disabledView(config) : toGuardView(guard.snapshot());
  return {
    enabled: view.enabled,
    behavior: view.behavior,
    state: view.state,
    halts: view.halts.length,
    budgets: view.budgets.length,
    ...(view.reason === undefined ? {} : { reason: view.reason }),
    ...(view.since === undefined ? {} : { since: view.since }),
  };
}

/** `GET /guard` and `POST /admin/resume`. */
export function createGuardHandlers(
  guard: OverageGuard | undefined,
  config: Pick<ResolvedConfig, "overageGuard">,
): { getGuard: AdminHandler; resume: AdminHandler } {
  return {
    getGuard: ({ sink }) => {
      sink.json(200, guard === undefined ? disabledView(config) : toGuardView(guard.snapshot()));
    },
    // `switchyard resume` counts `halts`; the MCP `resume` tool reads `resumed` and `state`.
    resume: async ({ sink }) => {
      if (guard === undefined) {
        sink.json(200, { resumed: false, enabled: false, halts: [], state: "ok" });
        return;
      }
      const halts = guard.resume();
      await guard.flush();
      sink.json(200, { resumed: true, halts, state: toGuardView(guard.snapshot()).state });
    },
  };
}
