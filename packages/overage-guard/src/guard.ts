import { OverageGuardError } from "./errors.js";
import {
  budgetStatus,
  type CompiledBudget,
  compileBudgets,
  currentBucket,
  describeBudget,
  isCrossed,
  scopeCovers,
  usd,
} from "./internal/budgets.js";
import { haltDenial } from "./internal/denial.js";
import type { SignalKind } from "./matchers/types.js";
import { createMemoryGuardStateStore } from "./memory-store.js";
import { periodEnd, periodKey } from "./periods.js";
import type {
  BudgetStatus,
  CheckDenied,
  CheckResult,
  GuardEvent,
  GuardNotification,
  GuardState,
  Halt,
  HaltScope,
  OverageGuard,
  OverageGuardOptions,
  RequestScope,
} from "./types.js";

function toMs(time: number | Date | string | undefined, fallback: number): number {
  if (time === undefined) return fallback;
  const ms = typeof time === "number" ? time : new Date(time).getTime();
  return Number.isFinite(ms) ? ms : fallback;
}

function emptyState(): GuardState {
  return { version: 1, halts: [], buckets: {} };
}

/** Whether a halt with an end time has reached it (a plain loop: no closure per check). */
function anyDue(halts: readonly Halt[], t: number): boolean {
  for (let i = 0; i < halts.length; i++) {
    const until = halts[i]!.until;
    if (until !== undefined && until <= t) return true;
  }
  return false;
}

/** The signal kinds `signal()` takes (see `SignalKind`). */
const SIGNAL_KINDS: ReadonlySet<string> = new Set<SignalKind>([
  "payment-required",
  "insufficient-quota",
  "credits-exhausted",
  "overage-billed",
  "usage-limit",
]);

/**
 * Create an overage guard: budgets (day/month/total, UTC) and upstream billing signals trip a
 * halt (every covered `check` denies until `resume()`, the cooldown, or the budget period's end)
 * or, with `behavior: "warn"`, only a `warn` event. Pure: no Node APIs; I/O goes through options.
 *
 * @example
 * const guard = createOverageGuard({ budgets: [{ limitUsd: 5, period: "day" }] });
 * const r = guard.reserve({ backend: "openai", model: "gpt-4o", estimatedCostUsd: 0.02 });
 * if (r.allowed) r.reservation.commit(0.013);
 */
export function createOverageGuard(options: OverageGuardOptions = {}): OverageGuard {
  const {
    behavior = "halt",
    cooldownMs = 0,
    now = Date.now,
    store = createMemoryGuardStateStore(),
    notify,
    onEvent,
    logger = console,
    resumeInstructions = "run `switchyard resume` or POST /admin/resume",
    reservationTimeoutMs = 15 * 60_000,
  } = options;
  if (!Number.isFinite(reservationTimeoutMs) || reservationTimeoutMs <= 0) {
    throw new OverageGuardError("invalid_option", "reservationTimeoutMs must be a positive number");
  }
  if (behavior !== "halt" && behavior !== "warn") {
    throw new OverageGuardError("invalid_option", 'behavior must be "halt" or "warn"');
  }
  if (!Number.isFinite(cooldownMs) || cooldownMs < 0) {
    throw new OverageGuardError("invalid_option", "cooldownMs must be a non-negative number");
  }
  const budgets = compileBudgets(options.budgets ?? []);
  let state = emptyState();
  const listeners = new Set<(event: GuardEvent) => void>();
  if (onEvent) listeners.add(onEvent);
  const reservations = new Map<string, { amount: number; budgets: string[]; at: number }>();
  const lastSignalWarn = new Map<string, number>();
  let seq = 0;
  let chain: Promise<void> = Promise.resolve();
  let queued = false;

  const emit = (event: GuardEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.warn("overage-guard: event listener threw", error);
      }
    }
  };
  const tell = (n: GuardNotification): void => {
    if (!notify) return;
    try {
      Promise.resolve(notify(n)).catch((error) =>
        logger.warn("overage-guard: notify failed", error),
      );
    } catch (error) {
      logger.warn("overage-guard: notify failed", error);
    }
  };
  const persist = (): void => {
    if (queued) return;
    queued = true;
    chain = chain.then(async () => {
      queued = false;
      try {
        await store.save(structuredClone(state));
      } catch (error) {
        logger.warn("overage-guard: saving state failed", error);
      }
    });
  };
  const covering = (request: RequestScope): CompiledBudget[] =>
    budgets.filter((b) => scopeCovers(b, request));
  /** Drops holds older than `reservationTimeoutMs`: code that never settled them must not
   * block the budget for ever (nor grow this map without bound). */
  const dropStale = (t: number): void => {
    let dropped = 0;
    for (const [id, r] of reservations) {
      if (t - r.at < reservationTimeoutMs) continue;
      reservations.delete(id);
      dropped++;
    }
    if (dropped > 0) {
      logger.warn(
        `overage-guard: ${dropped} reservation(s) neither committed nor released within ${reservationTimeoutMs} ms; their holds were dropped`,
      );
    }
  };
  const reservedFor = (key: string): number => {
    let sum = 0;
    for (const r of reservations.values()) if (r.budgets.includes(key)) sum += r.amount;
    return sum;
  };

  const expire = (t: number): void => {
    // Checked on every request: nothing to lift is the rule, and costs no allocation.
    if (!anyDue(state.halts, t)) return;
    const lifted: Record<"cooldown" | "period", Halt[]> = { cooldown: [], period: [] };
    state.halts = state.halts.filter((h) => {
      if (h.until === undefined || h.until > t) return true;
      lifted[h.cause === "budget" ? "period" : "cooldown"].push(h);
      return false;
    });
    for (const by of ["cooldown", "period"] as const) {
      if (lifted[by].length > 0) emit({ type: "resume", time: t, by, halts: lifted[by] });
    }
    if (lifted.cooldown.length + lifted.period.length > 0) persist();
  };

  const addHalt = (halt: Omit<Halt, "id">): Halt => {
    const full: Halt = { id: `halt-${halt.since}-${++seq}`, ...halt };
    state.halts.push(full);
    emit({ type: "halt", time: full.since, halt: full });
    tell({
      level: "halt",
      title: "switchyard halted",
      message: `${full.reason}. ${resumeInstructions}.`,
    });
    persist();
    return full;
  };

  const tripBudget = (budget: CompiledBudget, status: BudgetStatus, t: number): Halt => {
    const existing = state.halts.find((h) => h.cause === "budget" && h.budget?.key === budget.key);
    if (existing) return existing;
    const halt: Omit<Halt, "id"> = {
      cause: "budget",
      reason: `${describeBudget(status)} exceeded: ${usd(status.spentUsd)} spent of ${usd(status.limitUsd)}`,
      since: t,
      scope: scopeOf(budget),
      budget: status,
    };
    const end = periodEnd(budget.period, t);
    if (Number.isFinite(end)) halt.until = end;
    return addHalt(halt);
  };

  const denial = (halt: Halt): CheckDenied => haltDenial(halt, resumeInstructions);

  /** Every allowed check's answer: one frozen object, not one per request. */
  const ALLOWED: CheckResult = Object.freeze({ allowed: true as const });
  const check = (request: RequestScope): CheckResult => {
    const t = now();
    expire(t);
    if (behavior === "warn") return ALLOWED;
    if (state.halts.length > 0) {
      const halt = state.halts.find((h) => scopeCovers(h.scope, request));
      if (halt) return denial(halt);
    }
    if (budgets.length === 0) return ALLOWED;
    // A crossed budget may not have halted yet (spend restored by load(), or a lowered limit).
    for (const budget of covering(request)) {
      const bucket = currentBucket(state.buckets, budget, t);
      if (isCrossed(budget, bucket))
        return denial(tripBudget(budget, budgetStatus(budget, bucket), t));
    }
    return ALLOWED;
  };

  const guard: OverageGuard = {
    async load() {
      const loaded = await store.load();
      if (loaded && loaded.version === 1 && Array.isArray(loaded.halts)) {
        state = { version: 1, halts: loaded.halts, buckets: loaded.buckets ?? {} };
        seq = Math.max(seq, state.halts.length);
      }
    },

    check,

    reserve(request) {
      const decision = check(request);
      if (!decision.allowed) return decision;
      const estimate = Math.max(
        0,
        Number.isFinite(request.estimatedCostUsd) ? request.estimatedCostUsd : 0,
      );
      const t = now();
      dropStale(t);
      const keys: string[] = [];
      for (const budget of covering(request)) {
        const bucket = currentBucket(state.buckets, budget, t);
        if (bucket.acknowledgedLimitUsd === budget.limitUsd) continue;
        keys.push(budget.key);
        const inFlight = reservedFor(budget.key);
        // With nothing in flight one request may cross the limit (overshoot ≤ one request);
        // with requests in flight, the rest of the budget is theirs.
        if (
          behavior === "halt" &&
          inFlight > 0 &&
          bucket.spentUsd + inFlight + estimate > budget.limitUsd
        ) {
          const status = budgetStatus(budget, bucket);
          return {
            allowed: false,
            code: "budget_in_flight",
            reason: `${describeBudget(status)} is nearly spent: ${usd(status.spentUsd)} of ${usd(status.limitUsd)} used and ${usd(inFlight)} held by in-flight requests`,
            since: new Date(t).toISOString(),
            resumeHint: "retry when in-flight requests finish",
            budget: status,
          };
        }
      }
      const id = `res-${++seq}`;
      reservations.set(id, { amount: estimate, budgets: keys, at: t });
      let done = false;
      return {
        allowed: true,
        reservation: {
          id,
          estimatedCostUsd: estimate,
          commit(actualCostUsd, time) {
            if (done) return;
            done = true;
            reservations.delete(id);
            guard.record({ ...request, costUsd: actualCostUsd, time: toMs(time, now()) });
          },
          release() {
            if (done) return;
            done = true;
            reservations.delete(id);
          },
        },
      };
    },

    restoreSpend(entries) {
      const t = now();
      const sums = new Map<string, number>();
      for (const entry of entries) {
        const cost = Number.isFinite(entry.costUsd) && entry.costUsd > 0 ? entry.costUsd : 0;
        if (cost === 0) continue;
        const at = toMs(entry.time, Number.NaN);
        for (const budget of covering(entry)) {
          if (periodKey(budget.period, at) !== periodKey(budget.period, t)) continue;
          sums.set(budget.key, (sums.get(budget.key) ?? 0) + cost);
        }
      }
      let raised = false;
      for (const budget of budgets) {
        const sum = sums.get(budget.key);
        const bucket = currentBucket(state.buckets, budget, t);
        if (sum === undefined || sum <= bucket.spentUsd) continue;
        bucket.spentUsd = sum;
        raised = true;
      }
      if (raised) persist();
    },

    record(entry) {
      const t = now();
      const at = toMs(entry.time, t);
      const cost = Number.isFinite(entry.costUsd) && entry.costUsd > 0 ? entry.costUsd : 0;
      const touched: BudgetStatus[] = [];
      const crossed: [CompiledBudget, BudgetStatus][] = [];
      for (const budget of covering(entry)) {
        const bucket = currentBucket(state.buckets, budget, t);
        // Spend from an earlier period than the current one does not count against it.
        if (periodKey(budget.period, at) !== bucket.periodKey) continue;
        bucket.spentUsd += cost;
        const status = budgetStatus(budget, bucket);
        touched.push(status);
        if (isCrossed(budget, bucket)) crossed.push([budget, status]);
      }
      emit({
        type: "spend",
        time: at,
        backend: entry.backend,
        model: entry.model,
        costUsd: cost,
        budgets: touched,
      });
      for (const [budget, status] of crossed) {
        if (behavior === "halt") {
          tripBudget(budget, status, t);
          continue;
        }
        const bucket = state.buckets[budget.key]!;
        if (bucket.warned) continue;
        bucket.warned = true;
        const reason = `${describeBudget(status)} exceeded: ${usd(status.spentUsd)} spent of ${usd(status.limitUsd)}`;
        emit({ type: "warn", time: t, reason, budget: status });
        tell({ level: "warn", title: "switchyard budget exceeded", message: reason });
      }
      persist();
    },

    signal(signal) {
      if (!SIGNAL_KINDS.has(signal?.kind)) {
        throw new OverageGuardError(
          "invalid_option",
          `signal kind must be one of ${[...SIGNAL_KINDS].join(", ")}, got ${JSON.stringify(signal?.kind)}`,
        );
      }
      const t = now();
      expire(t);
      // A caller that gives no detail still gets a readable reason: the kind says what happened.
      const detail =
        typeof signal.detail === "string" && signal.detail !== "" ? signal.detail : signal.kind;
      const reason = `${signal.backend ? `${signal.backend}: ` : ""}${detail}`;
      if (behavior === "warn") {
        const key = `${signal.kind}|${signal.backend ?? ""}`;
        const last = lastSignalWarn.get(key);
        if (last !== undefined && t - last < (cooldownMs || 3_600_000)) return;
        lastSignalWarn.set(key, t);
        emit({ type: "warn", time: t, reason, signal });
        tell({ level: "warn", title: "switchyard overage warning", message: reason });
        return;
      }
      const scope: HaltScope = signal.backend === undefined ? {} : { backend: signal.backend };
      const dup = state.halts.find(
        (h) =>
          h.cause === "signal" &&
          h.signal?.kind === signal.kind &&
          h.scope.backend === scope.backend,
      );
      if (dup) return;
      const halt: Omit<Halt, "id"> = { cause: "signal", reason, since: t, scope, signal };
      if (cooldownMs > 0) halt.until = t + cooldownMs;
      addHalt(halt);
    },

    resume() {
      const t = now();
      const lifted = state.halts;
      state.halts = [];
      for (const budget of budgets) {
        const bucket = currentBucket(state.buckets, budget, t);
        if (bucket.spentUsd > budget.limitUsd) bucket.acknowledgedLimitUsd = budget.limitUsd;
      }
      lastSignalWarn.clear();
      emit({ type: "resume", time: t, by: "manual", halts: lifted });
      persist();
      return lifted;
    },

    snapshot() {
      const t = now();
      expire(t);
      dropStale(t);
      return {
        behavior,
        halted: state.halts.length > 0,
        halts: structuredClone(state.halts),
        budgets: budgets.map((b) => {
          const bucket = currentBucket(state.buckets, b, t);
          return {
            ...budgetStatus(b, bucket),
            reservedUsd: reservedFor(b.key),
            acknowledged:
              bucket.acknowledgedLimitUsd === b.limitUsd && bucket.spentUsd > b.limitUsd,
          };
        }),
      };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    flush: () => chain,
  };
  return guard;
}

function scopeOf(budget: CompiledBudget): HaltScope {
  const scope: HaltScope = {};
  if (budget.backend !== undefined) scope.backend = budget.backend;
  if (budget.model !== undefined) scope.model = budget.model;
  return scope;
}
