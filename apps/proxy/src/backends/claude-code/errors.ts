import { matchClaudeCodeUsageText } from "@switchyard/overage-guard";
import { ProxyError } from "../../server/proxy-error.js";

/** Every way the claude-code backend fails, by stable code. */
export type ClaudeCodeErrorCode =
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

/** A claude-code backend failure; its message is safe to show a client. */
export class ClaudeCodeError extends Error {
  readonly code: ClaudeCodeErrorCode;
  /** ISO 8601 reset time, for `quota_exhausted`. */
  readonly resetsAt?: string;
  readonly [marker] = true;

  constructor(
    code: ClaudeCodeErrorCode,
    message: string,
    options: { cause?: unknown; resetsAt?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ClaudeCodeError";
    this.code = code;
    if (options.resetsAt !== undefined) this.resetsAt = options.resetsAt;
  }

  /** True for a ClaudeCodeError from any copy of this module. */
  static isInstance(value: unknown): value is ClaudeCodeError {
    return typeof value === "object" && value !== null && marker in value;
  }
}

const NOT_LOGGED_IN = [
  /not logged in/i,
  /please run \/login/i,
  /invalid api key/i,
  /oauth token (?:has )?expired/i,
];
const TOO_OLD =
  /unknown option '--(?:output-format|input-format|include-partial-messages|verbose|tools|strict-mcp-config|disable-slash-commands|fork-session|system-prompt|effort)'|argument 'stream-json' is invalid/;

/** True when CLI output says it has no usable login. */
export function isNotLoggedInText(text: string): boolean {
  return NOT_LOGGED_IN.some((p) => p.test(text));
}

/** True when CLI stderr says it does not know one of the flags this backend needs. */
export function isCliTooOldText(text: string): boolean {
  return TOO_OLD.test(text);
}

/** The CLI's `error: unknown option '--x'` line, when there is one (e.g. a bad `args` entry). */
export function unknownOptionLine(text: string): string | undefined {
  return /^error: unknown option '[^'\n]{1,80}'/m.exec(text)?.[0];
}

/** Maps a backend failure onto the proxy's error (status + caller-dialect body via the server). */
export function toProxyError(error: ClaudeCodeError): ProxyError {
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
        billingSignals: [matchClaudeCodeUsageText(error.message)?.kind ?? "usage-limit"],
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
