import type { UsageSummary } from "../backends/types.js";

/** Every failure the proxy reports, named by a stable `code`. */
export type ProxyErrorCode =
  | "bad_request"
  | "invalid_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "unauthorized"
  | "forbidden_host"
  | "forbidden_origin"
  /** A dashboard action without the page's CSRF token. */
  | "forbidden_csrf"
  | "not_found"
  | "method_not_allowed"
  | "not_implemented"
  /** No route, prefix or default backend claims the requested model (404, like an unknown model). */
  | "model_not_found"
  | "unknown_backend"
  /**
   * The backend is configured but cannot serve until someone fixes something: its key
   * variable is not set, its CLI is missing or too old, its type is not in this build.
   */
  | "backend_unavailable"
  | "upstream_error"
  | "upstream_connect_timeout"
  | "upstream_first_byte_timeout"
  | "upstream_idle_timeout"
  | "upstream_total_timeout"
  | "upstream_unreachable"
  | "upstream_bad_response"
  /** An upstream stream ended before its closing event: the answer went out incomplete. */
  | "upstream_incomplete"
  /** Every target of a pooled backend is rate limited or cooling down. */
  | "upstream_rate_limited"
  | "shutting_down"
  | "client_closed"
  | "internal";

const defaultStatus: Record<ProxyErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden_host: 403,
  forbidden_origin: 403,
  forbidden_csrf: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_implemented: 501,
  // A failure that cannot heal by itself answers with a status the official SDKs and Claude
  // Code do not retry (see isRetryableStatus), the fix in its message.
  model_not_found: 404,
  unknown_backend: 400,
  backend_unavailable: 400,
  upstream_error: 502,
  upstream_connect_timeout: 504,
  upstream_first_byte_timeout: 504,
  upstream_idle_timeout: 504,
  upstream_total_timeout: 504,
  upstream_unreachable: 502,
  upstream_bad_response: 502,
  upstream_incomplete: 502,
  upstream_rate_limited: 429,
  shutting_down: 503,
  client_closed: 499,
  internal: 500,
};

/** The parts of an upstream error body worth passing on (message already redacted). */
export interface UpstreamErrorInfo {
  /** The protocol the upstream spoke. */
  dialect: "anthropic" | "openai";
  type?: string;
  code?: string;
}

/**
 * THE retry rule, the one the official `openai` and `@anthropic-ai/sdk` SDKs and Claude Code
 * apply to a status: 408 (timeout), 409 (conflict), 429 (rate limit) and every 5xx are worth
 * retrying; anything else is not. Error responses say it with `x-should-retry` (see
 * error-response.ts), which those clients honour over the status.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

const marker = Symbol.for("switchyard.proxy.error");

/** Options for {@link ProxyError}. */
export interface ProxyErrorOptions {
  /** HTTP status; defaults by code. */
  status?: number;
  /** What an upstream error body said (already redacted), for translation to the caller's dialect. */
  upstream?: UpstreamErrorInfo;
  /** `retry-after` to forward to the client. */
  retryAfter?: string;
  /** The methods a 405 names in its `allow` header (RFC 9110 §15.5.6), e.g. `POST`. */
  allow?: string;
  /** The parameter at fault, when known (OpenAI `param`). */
  param?: string;
  /** Billing signals the failure carries for the overage guard (e.g. `usage-limit`). */
  billingSignals?: readonly string[];
  cause?: unknown;
}

/** An error whose message is safe to show a client (never a secret, never a raw upstream body). */
export class ProxyError extends Error {
  readonly code: ProxyErrorCode;
  readonly status: number;
  readonly upstream?: UpstreamErrorInfo;
  readonly retryAfter?: string;
  readonly allow?: string;
  readonly param?: string;
  readonly billingSignals?: readonly string[];
  /**
   * The tokens an upstream reported before it failed (a stream that broke off after its usage
   * came): the request log and the usage record count them, as the upstream bills them.
   */
  usage?: UsageSummary;
  readonly [marker] = true;

  constructor(code: ProxyErrorCode, message: string, options: ProxyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProxyError";
    this.code = code;
    this.status = options.status ?? defaultStatus[code];
    if (options.upstream !== undefined) this.upstream = options.upstream;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.allow !== undefined) this.allow = options.allow;
    if (options.param !== undefined) this.param = options.param;
    if (options.billingSignals !== undefined) this.billingSignals = options.billingSignals;
  }

  /** Whether the client may retry the same request later. */
  get isRetryable(): boolean {
    return isRetryableStatus(this.status);
  }

  /** True for a ProxyError from any copy of this module. */
  static isInstance(value: unknown): value is ProxyError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
