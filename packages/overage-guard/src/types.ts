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

/** Result of `check()` (read-only: an allowed answer is one shared, frozen object). */
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

/** Options of {@link createOverageGuard}. */
export interface OverageGuardOptions {
  budgets?: readonly BudgetOptions[];
  /** `halt` (default) denies requests once tripped; `warn` never denies and emits `warn` events. */
  behavior?: "halt" | "warn";
  /** Signal halts lift by themselves this long after they start; 0 (default): manual resume only. */
  cooldownMs?: number;
  /** Clock in epoch milliseconds. */
  now?: () => number;
  /** Where halts and spend persist; default in memory. Call `load()` to restore from it. */
  store?: GuardStateStore;
  /** Shows halts and warnings to a person (terminal bell, desktop notification). Errors are logged. */
  notify?: (notification: GuardNotification) => void | Promise<void>;
  onEvent?: (event: GuardEvent) => void;
  logger?: GuardLogger;
  /** How a person resumes, used in denial texts. */
  resumeInstructions?: string;
  /**
   * A reservation neither committed nor released within this many ms (a request whose code
   * threw before either) stops holding budget; a warning is logged. Default 900000 (15 min).
   */
  reservationTimeoutMs?: number;
}

/** What `snapshot()` returns: the guard's whole state, for `/status` and the MCP server. */
export interface GuardSnapshot {
  behavior: "halt" | "warn";
  halted: boolean;
  halts: Halt[];
  budgets: (BudgetStatus & { reservedUsd: number; acknowledged: boolean })[];
}

/** The overage guard. See {@link createOverageGuard}. */
export interface OverageGuard {
  /** Restore halts and spend from the store (call once at startup). */
  load(): Promise<void>;
  /** May this request go now? */
  check(request: RequestScope): CheckResult;
  /** `check()` plus a hold on `estimatedCostUsd` counted against budgets until commit/release. */
  reserve(request: RequestScope & { estimatedCostUsd: number }): ReserveResult;
  /**
   * Raise each budget's spend in its current period to at least what these completed requests
   * cost (e.g. the usage log read at start-up, which may hold requests the saved state had not
   * counted yet when the process died). Spend never goes down; no events are emitted; a budget
   * this crosses halts on the next `check`.
   */
  restoreSpend(
    entries: Iterable<RequestScope & { costUsd: number; time: number | Date | string }>,
  ): void;
  /** Add spend (USD) from a completed request. */
  record(entry: RequestScope & { costUsd: number; time?: number | Date | string }): void;
  /** An upstream overage/credit signal: halts the signalling backend (or warns). */
  signal(signal: SignalInfo): void;
  /** Lift every halt now and accept already-crossed budgets for their current period and limit. */
  resume(): Halt[];
  snapshot(): GuardSnapshot;
  /** Listen to events; returns an unsubscribe function. */
  subscribe(listener: (event: GuardEvent) => void): () => void;
  /** Resolves when every pending `store.save` has finished. */
  flush(): Promise<void>;
}
