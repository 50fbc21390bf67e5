import { CliBackendError, type CliErrorCode } from "../cli-runner/cli-error.js";

/** Every way the codex backend fails, by stable code (shared with the claude-code backend). */
export type CodexErrorCode = CliErrorCode;

/** A codex backend failure; its message is safe to show a client. */
export class CodexError extends CliBackendError {
  constructor(
    code: CodexErrorCode,
    message: string,
    options: { cause?: unknown; resetsAt?: string; billingSignal?: string } = {},
  ) {
    super(code, message, options);
    this.name = "CodexError";
  }
}

/** The CLI could not be started: not installed (ENOENT) or not executable. */
export function codexNotInstalled(
  binary: string,
  code: string | undefined,
  cause?: unknown,
): CodexError {
  return new CodexError(
    "not_installed",
    code === "ENOENT"
      ? `the codex CLI was not found (${binary}): install it (npm install -g @openai/codex), run \`codex login\`, or set the backend's "binary"`
      : `the codex CLI could not be started (${binary}): ${code ?? "spawn failed"}`,
    cause === undefined ? {} : { cause },
  );
}
