import type { BreakerState } from "./headroom.js";
import type { SelectionReason } from "./select.js";

/** Payloads of the events a pool emits, by event name. */
export interface PoolEvents {
  /** A target was chosen for an attempt. */
  select: { target: string; key: string | undefined; attempt: number; reason: SelectionReason };
  /** An attempt failed before any byte reached the client; the request will be tried again. */
  failover: {
    from: string;
    key: string | undefined;
    attempt: number;
    /** Upstream status, when the attempt got a response. */
    status?: number;
    /** `code` or `name` of the thrown error, when it threw (never its message). */
    error?: string;
  };
  /** A target was put on cooldown. */
  cooldown: { target: string; until: number; ms: number; status?: number };
  /** A target's circuit breaker changed state. */
  breaker: { target: string; from: BreakerState; to: BreakerState };
  /** No target could take the request; it waits for one. */
  queued: { key: string | undefined; waitMs: number; queued: number };
  /** The request gave up with a `PoolError` `exhausted`. */
  exhausted: { key: string | undefined; attempts: number; retryAfterMs: number };
}
