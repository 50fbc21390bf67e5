/** Machine-readable codes of {@link OverageGuardError}. */
export type OverageGuardErrorCode = "invalid_budget" | "invalid_price" | "invalid_option";

const marker = Symbol.for("switchyard.overage-guard.error");

/** The one error class of this package; `code` says what was wrong. */
export class OverageGuardError extends Error {
  readonly code: OverageGuardErrorCode;
  readonly [marker] = true;

  constructor(code: OverageGuardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OverageGuardError";
    this.code = code;
  }

  /** True for an OverageGuardError from any copy of this package. */
  static isInstance(value: unknown): value is OverageGuardError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
