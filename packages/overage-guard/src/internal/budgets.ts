import { OverageGuardError } from "../errors.js";
import { type BudgetPeriod, periodKey } from "../periods.js";
import type {
  BudgetBucket,
  BudgetOptions,
  BudgetStatus,
  HaltScope,
  RequestScope,
} from "../types.js";
import { compileGlob } from "./glob.js";

/** A validated budget with its key and compiled model glob. */
export interface CompiledBudget extends BudgetOptions {
  key: string;
  modelRegex?: RegExp;
}

const PERIODS = new Set<BudgetPeriod>(["day", "month", "total"]);

/** Validate budgets and give each a stable key (its name, else period|backend|model). */
export function compileBudgets(budgets: readonly BudgetOptions[]): CompiledBudget[] {
  if (!Array.isArray(budgets)) {
    throw new OverageGuardError("invalid_budget", "budgets must be an array of budgets");
  }
  const seen = new Set<string>();
  return budgets.map((b, i) => {
    if (typeof b !== "object" || b === null) {
      throw new OverageGuardError("invalid_budget", `budgets[${i}] must be an object`);
    }
    for (const field of ["name", "backend", "model"] as const) {
      if (b[field] !== undefined && typeof b[field] !== "string") {
        throw new OverageGuardError("invalid_budget", `budgets[${i}].${field} must be a string`);
      }
    }
    if (!Number.isFinite(b.limitUsd) || b.limitUsd < 0) {
      throw new OverageGuardError(
        "invalid_budget",
        `budgets[${i}].limitUsd must be a non-negative number of USD`,
      );
    }
    if (!PERIODS.has(b.period)) {
      throw new OverageGuardError(
        "invalid_budget",
        `budgets[${i}].period must be "day", "month" or "total"`,
      );
    }
    let key = b.name ?? `${b.period}|${b.backend ?? "*"}|${b.model ?? "*"}`;
    if (seen.has(key)) key = `${key}#${i}`;
    seen.add(key);
    const compiled: CompiledBudget = { ...b, key };
    if (b.model !== undefined) compiled.modelRegex = compileGlob(b.model);
    return compiled;
  });
}

/** Does a halt or budget scope cover this request? */
export function scopeCovers(
  scope: HaltScope & { modelRegex?: RegExp },
  request: RequestScope,
): boolean {
  if (scope.backend !== undefined && scope.backend !== request.backend) return false;
  if (scope.model === undefined) return true;
  const regex = scope.modelRegex ?? compileGlob(scope.model);
  return regex.test(request.model);
}

/** The bucket of `budget` for the period containing `time`, reset if the period rolled over. */
export function currentBucket(
  buckets: Record<string, BudgetBucket>,
  budget: CompiledBudget,
  time: number,
): BudgetBucket {
  const key = periodKey(budget.period, time);
  const existing = buckets[budget.key];
  if (existing && existing.periodKey === key) return existing;
  const fresh: BudgetBucket = { periodKey: key, spentUsd: 0, warned: false };
  buckets[budget.key] = fresh;
  return fresh;
}

/** Over its limit and not acknowledged by a resume for this limit in this period. */
export function isCrossed(budget: CompiledBudget, bucket: BudgetBucket): boolean {
  return bucket.spentUsd > budget.limitUsd && bucket.acknowledgedLimitUsd !== budget.limitUsd;
}

/** Public view of a budget and its bucket. */
export function budgetStatus(budget: CompiledBudget, bucket: BudgetBucket): BudgetStatus {
  const status: BudgetStatus = {
    key: budget.key,
    limitUsd: budget.limitUsd,
    period: budget.period,
    periodKey: bucket.periodKey,
    spentUsd: bucket.spentUsd,
  };
  if (budget.name !== undefined) status.name = budget.name;
  if (budget.backend !== undefined) status.backend = budget.backend;
  if (budget.model !== undefined) status.model = budget.model;
  return status;
}

const PERIOD_WORD: Record<BudgetPeriod, string> = {
  day: "daily",
  month: "monthly",
  total: "total",
};

/** Format USD for messages: cents, or four decimals below a dollar. */
export function usd(n: number): string {
  if (n >= 1 || n === 0) return `$${n.toFixed(2)}`;
  if (n >= 0.0001) return `$${n.toFixed(4)}`;
  // Tiny amounts (a sub-cent test budget) keep two significant digits, never "$0.0000".
  return `$${n.toFixed(Math.min(12, Math.ceil(-Math.log10(n)) + 1))}`;
}

/** "daily budget "team" (backend openai) exceeded: $10.42 spent of $10.00". */
export function describeBudget(status: BudgetStatus): string {
  const label = status.name ? ` "${status.name}"` : "";
  const scope = [
    status.backend ? `backend ${status.backend}` : "",
    status.model ? `model ${status.model}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return `${PERIOD_WORD[status.period]} budget${label}${scope ? ` (${scope})` : ""}`;
}
