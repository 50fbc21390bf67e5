import type { SignalKind } from "./matchers/types.js";
import type { BudgetPeriod } from "./periods.js";

/** A spending limit in USD over a UTC period, optionally scoped to a backend and/or model glob. */
export interface BudgetOptions {
  name?: string;
  backend?: string;
  /** Model glob (`*`, `?`), matched case-insensitively. */
  model?: string;
  limitUsd: number;
  period: BudgetPeriod;
}

/** What a request is: the backend it goes to and the model it asks for. */
export interface RequestScope {
  backend: string;
  model: string;
}

/** Which requests a halt stops; an absent field matches everything. */
export interface HaltScope {
  backend?: string;
  model?: string;
}

/** A budget as reported in halts, denials, events and `snapshot()`. */
export interface BudgetStatus {
  key: string;
  name?: string;
  backend?: string;
  model?: string;
  limitUsd: number;
  period: BudgetPeriod;
  periodKey: string;
  spentUsd: number;
}

/** An upstream signal as recorded in a halt or warning. */
export interface SignalInfo {
  kind: SignalKind;
  backend?: string;
  detail: string;
}

/** One active halt. Times are epoch milliseconds. */
export interface Halt {
  id: string;
  cause: "budget" | "signal";
  reason: string;
  since: number;
  /** When the halt lifts by itself (cooldown or budget period end); absent: manual resume only. */
  until?: number;
  scope: HaltScope;
  budget?: BudgetStatus;
  signal?: SignalInfo;
}

/** Spend of one budget in its current period. */
export interface BudgetBucket {
  periodKey: string;
  spentUsd: number;
  /** A `warn` event was already emitted for this crossing. */
  warned: boolean;
  /** Set by `resume()`: the crossing of exactly this limit in this period is accepted. */
  acknowledgedLimitUsd?: number;
}

/** Everything the guard persists (halts survive a restart; spend per budget period too). */
export interface GuardState {
  version: 1;
  halts: Halt[];
  buckets: Record<string, BudgetBucket>;
}

/** Where guard state lives between restarts. The proxy app provides a file-backed one. */
export interface GuardStateStore {
  load(): Promise<GuardState | undefined>;
  save(state: GuardState): Promise<void>;
}

/** `check()`/`reserve()` answer when a request may go. */
export interface CheckAllowed {
  allowed: true;
}

/** `check()`/`reserve()` answer when a request must not go. ISO-8601 times. */
export interface CheckDenied {
  allowed: false;
  /** `halted`: an active halt; `budget_in_flight`: in-flight reservations hold the rest of a budget. */
  code: "halted" | "budget_in_flight";
  reason: string;
  since: string;
  /** How to get going again, in words (CLI command, admin call, or when it lifts by itself). */
  resumeHint: string;
  /** When the denial lifts by itself, if it does. */
  until?: string;
  budget?: BudgetStatus;
  signal?: SignalInfo;
}

/** Result of `check()`. */
export type CheckResult = CheckAllowed | CheckDenied;

/** A hold on estimated cost while a request runs; call exactly one of `commit` or `release`. */
export interface Reservation {
  id: string;
  estimatedCostUsd: number;
  /** Record the actual cost and drop the hold. Later calls are ignored. */
  commit(actualCostUsd: number, time?: number | Date | string): void;
  /** Drop the hold without recording spend (the request failed or was not billed). */
  release(): void;
}

/** Result of `reserve()`. */
export type ReserveResult = (CheckAllowed & { reservation: Reservation }) | CheckDenied;

/** Events for `GET /events` and logs. Times are epoch milliseconds. */
export type GuardEvent =
  | {
      type: "spend";
      time: number;
      backend: string;
      model: string;
      costUsd: number;
      budgets: BudgetStatus[];
    }
  | { type: "halt"; time: number; halt: Halt }
  | {
      type: "warn";
      time: number;
      reason: string;
      budget?: BudgetStatus;
      signal?: SignalInfo;
    }
  | { type: "resume"; time: number; by: "manual" | "cooldown" | "period"; halts: Halt[] };

/** What the guard asks the notifier to show (called for halts and warnings only). */
export interface GuardNotification {
  level: "halt" | "warn";
  title: string;
  message: string;
}

/** Minimal logger; defaults to `console`. */
export interface GuardLogger {
  warn(message: string, meta?: unknown): void;
}
