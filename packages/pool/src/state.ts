/** Where a dimension's numbers came from. */
export type DimensionSource = "headers" | "declared";

/** One rate-limit dimension of a target as the pool tracks it. */
export interface DimensionState {
  /** `requests`, `tokens`, `input-tokens`, `output-tokens`, or a custom parser's name. */
  name: string;
  limit: number;
  remaining: number;
  /** Epoch ms when the window resets to `limit`. */
  resetAt: number;
  source: DimensionSource;
  /**
   * The upstream sent no reset time: `resetAt` is only how long its numbers are trusted. Such
   * a window lowers headroom but never makes the target unavailable (no local refusal on a
   * guess).
   */
  untimed?: true;
}

/** Circuit-breaker record. `half-open` is derived: open and `openMs` elapsed. */
export interface BreakerRecord {
  open: boolean;
  /** Epoch ms the breaker last opened. */
  openedAt: number;
  consecutiveFailures: number;
  /** A half-open trial request is in flight. */
  probing: boolean;
}

/** Per-target outcome counters. */
export interface TargetCounts {
  attempts: number;
  /** Attempts whose response the pool returned (whatever its status). */
  successes: number;
  /** Attempts that failed over (rate limits, 5xx, connection errors). */
  failures: number;
  /** 429 answers, whether or not they failed over. */
  rateLimited: number;
  /** 5xx answers, whether or not they failed over. */
  serverErrors: number;
  /** Callbacks that threw (refused connection, timeout, …), retryable or not; not aborts. */
  connectionErrors: number;
}

/** Everything the pool knows about one target; plain JSON so a store can persist it. */
export interface TargetState {
  dimensions: DimensionState[];
  /** Epoch ms before which the target is not used; 0 when not cooling. */
  cooldownUntil: number;
  breaker: BreakerRecord;
  /** Attempts whose callback has not settled yet. */
  inFlight: number;
  /** Exponentially weighted success rate as of `healthAt`, 1 = every recent attempt succeeded. */
  health: number;
  /** Epoch ms `health` was last updated; between updates it drifts back towards 1. */
  healthAt: number;
  /** Fair-share virtual time: grows by 1/weight per selection. */
  vtime: number;
  counts: TargetCounts;
}

/** A fresh state for a target nothing is known about yet. */
export function createTargetState(): TargetState {
  return {
    dimensions: [],
    cooldownUntil: 0,
    breaker: { open: false, openedAt: 0, consecutiveFailures: 0, probing: false },
    inFlight: 0,
    health: 1,
    healthAt: 0,
    vtime: 0,
    counts: {
      attempts: 0,
      successes: 0,
      failures: 0,
      rateLimited: 0,
      serverErrors: 0,
      connectionErrors: 0,
    },
  };
}
