const marker = Symbol.for("switchyard.session.error");

/** Why a session operation failed. */
export type SessionErrorCode = "invalid-option" | "invalid-import";

/** The one error class of `@switchyard/session`; `code` says what went wrong. */
export class SessionError extends Error {
  /** Machine-readable reason. */
  readonly code: SessionErrorCode;
  /** Brand that survives duplicate installs. */
  readonly [marker] = true;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SessionError";
    this.code = code;
  }

  /** True for any `SessionError`, even one from a duplicate install of this package. */
  static isInstance(error: unknown): error is SessionError {
    return typeof error === "object" && error !== null && marker in error;
  }
}
