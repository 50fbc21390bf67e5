const marker = Symbol.for("switchyard.pool.error");

/** Why `pool.run` failed. */
export type PoolErrorCode =
  /** Every target was cooling, exhausted or failing, and waiting would not help in time. */
  | "exhausted"
  /** The caller's `signal` aborted the request. */
  | "aborted"
  /** The callback returned something without a numeric `status`/`statusCode`. */
  | "invalid-response"
  /** `createPool` got a bad option. */
  | "invalid-option";

/** Details carried by a `PoolError`. */
export interface PoolErrorDetails {
  cause?: unknown;
  /** HTTP status the caller should answer with (429 for `exhausted`). */
  status?: number;
  /** How long until a target is expected to be available again. */
  retryAfterMs?: number;
  /** Attempts made before giving up. */
  attempts?: number;
  /** Attempts that failed over to another try. */
  failovers?: number;
  /** Status of the last upstream response, if the last attempt got one. */
  lastStatus?: number;
}

/** The one error class of `@switchyard/pool`; `code` says what went wrong. */
export class PoolError extends Error {
  /** Machine-readable reason. */
  readonly code: PoolErrorCode;
  /** HTTP status the caller should answer with, when there is one. */
  readonly status: number | undefined;
  /** Milliseconds to put in a `Retry-After` header. */
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;
  readonly failovers: number;
  readonly lastStatus: number | undefined;
  /** True when the same request may succeed later. */
  readonly isRetryable: boolean;
  /** Brand that survives duplicate installs. */
  readonly [marker] = true;

  constructor(code: PoolErrorCode, message: string, details: PoolErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "PoolError";
    this.code = code;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts ?? 0;
    this.failovers = details.failovers ?? 0;
    this.lastStatus = details.lastStatus;
    this.isRetryable = code === "exhausted";
  }

  /** True for any `PoolError`, even one from a duplicate install of this package. */
  static isInstance(error: unknown): error is PoolError {
    return typeof error === "object" && error !== null && marker in error;
  }
}
