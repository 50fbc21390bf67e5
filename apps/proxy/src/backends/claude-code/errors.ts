import { matchClaudeCodeUsageText } from "@switchyard/overage-guard";
import type { ProxyError } from "../../server/proxy-error.js";
import {
  CliBackendError,
  type CliErrorCode,
  cliErrorToProxyError,
} from "../cli-runner/cli-error.js";

/** Every way the claude-code backend fails, by stable code. */
export type ClaudeCodeErrorCode = CliErrorCode;

/** A claude-code backend failure; its message is safe to show a client. */
export class ClaudeCodeError extends CliBackendError {
  constructor(
    code: ClaudeCodeErrorCode,
    message: string,
    options: { cause?: unknown; resetsAt?: string } = {},
  ) {
    // The overage guard hears which kind: paid extra usage ran out, or a plan limit was hit.
    const billingSignal =
      code === "quota_exhausted" ? matchClaudeCodeUsageText(message)?.kind : undefined;
    super(code, message, { ...options, ...(billingSignal === undefined ? {} : { billingSignal }) });
    this.name = "ClaudeCodeError";
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
export function toProxyError(error: CliBackendError): ProxyError {
  return cliErrorToProxyError(error);
}
