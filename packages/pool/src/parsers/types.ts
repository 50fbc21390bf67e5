/** Reads one response header by lower-case name; `undefined` when absent. */
export type HeaderReader = (name: string) => string | undefined;

/** What one response said about one rate-limit dimension (`requests`, `tokens`, …). */
export interface DimensionObservation {
  /** Quota of the current window. */
  limit?: number;
  /** What is left of it. */
  remaining?: number;
  /** Epoch ms at which the window resets to `limit`. */
  resetAt?: number;
}

/** What one parser read from one response. */
export interface RateLimitObservation {
  /** Keyed by dimension name: `requests`, `tokens`, `input-tokens`, `output-tokens`, or your own. */
  dimensions?: Record<string, DimensionObservation>;
  /** How long the upstream asked us to wait before the next request. */
  retryAfterMs?: number;
}

/** Reads a provider's rate-limit headers. Implement it for providers the pool does not know. */
export interface RateLimitParser {
  /** Short name, for diagnostics. */
  readonly name: string;
  /** Returns what the headers say, or `undefined` if they say nothing this parser knows. */
  parse(header: HeaderReader, now: number): RateLimitObservation | undefined;
}
