const marker = Symbol.for("switchyard.mcp.error");

/** Machine-readable reasons of {@link SwitchyardMcpError}. */
export type SwitchyardMcpErrorCode =
  /** A flag, variable or config field is malformed. */
  | "invalid_config"
  /** Nothing listens at the proxy address. */
  | "proxy_down"
  /** The proxy answered 401 (a key is missing or wrong) or 403 (it refused the Host/Origin). */
  | "unauthorized"
  /** The proxy does not have this endpoint (an older proxy). */
  | "not_found"
  /** The proxy answered with another non-2xx status. */
  | "http_error"
  /** The proxy's answer was not the JSON we expected. */
  | "bad_response"
  /** The proxy did not answer in time. */
  | "timeout"
  /** The MCP client cancelled the request. */
  | "cancelled";

/** The one error class of `@switchyard/mcp`; `code` says what went wrong. */
export class SwitchyardMcpError extends Error {
  /** Machine-readable reason. */
  readonly code: SwitchyardMcpErrorCode;
  /** HTTP status when the proxy answered. */
  readonly status: number | undefined;
  /** The proxy's own error message, when it sent one (already length-limited). */
  readonly detail: string | undefined;
  readonly [marker] = true;

  constructor(
    code: SwitchyardMcpErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; detail?: string },
  ) {
    super(message, options);
    this.name = "SwitchyardMcpError";
    this.code = code;
    this.status = options?.status;
    this.detail = options?.detail;
  }

  /** True for any `SwitchyardMcpError`, even one from a duplicate install of this package. */
  static isInstance(error: unknown): error is SwitchyardMcpError {
    return typeof error === "object" && error !== null && marker in error;
  }
}
