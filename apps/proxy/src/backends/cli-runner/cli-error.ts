import { ProxyError } from "../../server/proxy-error.js";

/** Every way a CLI backend (`claude-code`, `codex`) fails, by stable code. */
export type CliErrorCode =
  /** The request defines tools: this backend cannot run client tools. */
  | "client_tools"
  /** The request cannot be mapped to a CLI run (e.g. it ends with an assistant turn). */
  | "invalid_request"
  /** The `claude` binary was not found (ENOENT) or is not executable. */
  | "not_installed"
  /** The CLI is not logged in. */
  | "not_logged_in"
  /** The CLI rejected a stream-json flag: too old for this backend. */
  | "cli_too_old"
  /** The CLI rejected an argument from the backend's `args`. */
  | "bad_args"
  /** The subscription's usage limit (or paid extra usage) is exhausted. */
  | "quota_exhausted"
  /** Anthropic kept answering 429 until the CLI gave up retrying (transient). */
  | "rate_limited"
  /** A `--resume` session the CLI no longer has ("No conversation found with session ID"). */
  | "stale_session"
  /** The CLI (and the API behind it) does not know the requested model. */
  | "model_not_found"
  /** The API kept answering 529 (overloaded) until the CLI gave up retrying. */
  | "overloaded"
  /** The run exceeded `timeoutMs`. */
  | "timeout"
  /** The CLI exited with an error this backend does not recognise. */
  | "cli_failed";

const marker = Symbol.for("switchyard.claude-code.error");

/** A CLI backend failure; its message is safe to show a client. */
export class CliBackendError extends Error {
  readonly code: CliErrorCode;
  /** ISO 8601 reset time, for `quota_exhausted`. */
  readonly resetsAt?: string;
  /** The overage-guard signal kind a `quota_exhausted` failure reports. Default `usage-limit`. */
  readonly billingSignal?: string;
  readonly [marker] = true;

  constructor(
    code: CliErrorCode,
    message: string,
    options: { cause?: unknown; resetsAt?: string; billingSignal?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliBackendError";
    this.code = code;
    if (options.resetsAt !== undefined) this.resetsAt = options.resetsAt;
    if (options.billingSignal !== undefined) this.billingSignal = options.billingSignal;
  }

  /** True for a CLI backend error (either backend) from any copy of this module. */
  static isInstance(value: unknown): value is CliBackendError {
    return typeof value === "object" && value !== null && marker in value;
  }
}

/** Maps a backend failure onto the proxy's error (status + caller-dialect body via the server). */
export function cliErrorToProxyError(error: CliBackendError): ProxyError {
  const anthropic = (type: string) => ({ dialect: "anthropic" as const, type });
  switch (error.code) {
    case "client_tools":
      return new ProxyError("bad_request", error.message, { param: "tools", cause: error });
    case "invalid_request":
      return new ProxyError("bad_request", error.message, { param: "messages", cause: error });
    // Nothing here heals by itself: the client is told not to retry (see proxy-error.ts).
    case "not_installed":
    case "cli_too_old":
    case "bad_args":
      return new ProxyError("backend_unavailable", error.message, { cause: error });
    case "not_logged_in":
      return new ProxyError("upstream_error", error.message, {
        status: 401,
        upstream: anthropic("authentication_error"),
        cause: error,
      });
    case "quota_exhausted": {
      const retryAfter =
        error.resetsAt === undefined
          ? undefined
          : String(Math.max(1, Math.ceil((Date.parse(error.resetsAt) - Date.now()) / 1000)));
      return new ProxyError("upstream_error", error.message, {
        status: 429,
        upstream: anthropic("rate_limit_error"),
        ...(retryAfter === undefined || retryAfter === "NaN" ? {} : { retryAfter }),
        // The overage guard hears of it: paid extra usage ran out, or a plan limit was hit.
        billingSignals: [error.billingSignal ?? "usage-limit"],
        cause: error,
      });
    }
    case "rate_limited":
      return new ProxyError("upstream_error", error.message, {
        status: 429,
        upstream: anthropic("rate_limit_error"),
        cause: error,
      });
    case "overloaded":
      return new ProxyError("upstream_error", error.message, {
        status: 529,
        upstream: anthropic("overloaded_error"),
        cause: error,
      });
    case "model_not_found":
      return new ProxyError("upstream_error", error.message, {
        status: 404,
        upstream: anthropic("not_found_error"),
        param: "model",
        cause: error,
      });
    case "timeout":
      return new ProxyError("upstream_total_timeout", error.message, { cause: error });
    default:
      return new ProxyError("upstream_error", error.message, {
        upstream: anthropic("api_error"),
        cause: error,
      });
  }
}
