/** Why a template-capture operation failed. */
export type CaptureErrorCode =
  /** The text is not a HAR 1.2 capture (not JSON, no `log.entries`, a malformed entry). */
  | "invalid_cassette"
  /** The recorder was used after `close()`. */
  | "recorder_closed"
  /** The replay matcher (strict) found no recorded exchange for a request. */
  | "replay_miss"
  /** A capture holds no API request to take a template from. */
  | "no_template"
  /** A user scrub pattern is not a usable regular expression. */
  | "invalid_pattern";

const marker = Symbol.for("switchyard.template-capture.error");

/** The one error class of this package; `code` says what went wrong. */
export class CaptureError extends Error {
  readonly code: CaptureErrorCode;
  readonly [marker] = true;

  constructor(code: CaptureErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CaptureError";
    this.code = code;
  }

  /** True for a CaptureError from any copy of this package (survives duplicate installs). */
  static isInstance(value: unknown): value is CaptureError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
