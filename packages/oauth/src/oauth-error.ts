/** What went wrong in an OAuth operation. */
export type OAuthErrorCode =
  /** The grant is no longer valid (`invalid_grant`, revoked or expired refresh token, nothing stored): sign in again. */
  | "login_required"
  /** The network or the authorization server failed (connection error, timeout, 5xx): retrying may help. */
  | "network_error"
  /** The authorization server refused the request for another reason (`invalid_client`, `unauthorized_client`, …). */
  | "server_refused"
  /** The user (or the server) denied the authorization (`access_denied`). */
  | "access_denied"
  /** The `state` of an authorization response did not match the one sent. */
  | "state_mismatch"
  /** The device code or a login wait ran out of time. */
  | "expired"
  /** A response broke the protocol (bad metadata, missing fields, wrong issuer). */
  | "invalid_response"
  /** Bad input from the caller: a malformed pasted URL, a missing option. */
  | "invalid_input"
  /** The token store could not be read or written (or refused a symlink). */
  | "store_error"
  /** The caller aborted. */
  | "aborted";

/** Codes worth retrying as they are. */
const RETRYABLE: ReadonlySet<OAuthErrorCode> = new Set([
  // The server or the network may be back on the next try.
  "network_error",
]);

const marker = Symbol.for("switchyard.oauth.error");

/**
 * The one error class of `@switchyard/oauth`. Its message never carries a token, a code
 * verifier, a client secret or an authorization code.
 */
export class OAuthError extends Error {
  readonly [marker] = true;
  readonly code: OAuthErrorCode;
  /** The OAuth `error` value the server sent, when it sent one (e.g. `invalid_grant`). */
  readonly oauthError: string | undefined;
  /** HTTP status of the server's answer, when there was one. */
  readonly status: number | undefined;

  constructor(options: {
    code: OAuthErrorCode;
    message: string;
    oauthError?: string;
    status?: number;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OAuthError";
    this.code = options.code;
    this.oauthError = options.oauthError;
    this.status = options.status;
  }

  /** True when the same call may succeed later (network trouble, a 5xx). */
  get isRetryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** True when the user has to sign in again. */
  get isLoginRequired(): boolean {
    return this.code === "login_required";
  }

  /** True for any `OAuthError`, even one from a duplicate install. */
  static isInstance(value: unknown): value is OAuthError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
