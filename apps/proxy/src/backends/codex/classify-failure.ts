import type { CliRunExit } from "../cli-runner/run-cli.js";
import { CodexError, codexNotInstalled } from "./errors.js";
import { codexBillingSignal, matchCodexQuotaText } from "./quota-matcher.js";

/** What the backend saw of a run that did not complete its turn. */
export interface FailedCodexRun {
  exit: CliRunExit;
  /** The message of `turn.failed` or of the last `error` event, if any. */
  errorText?: string;
  timeoutMs: number;
  binary: string;
  now?: number;
}

/**
 * The CLI's words for a missing or rejected login, from its source and runs against a mock:
 * `Not logged in` (`codex login status`), `unexpected status 401 Unauthorized: …` (recorded),
 * the token-refresh failures (`RefreshTokenFailedError`: "Your access token could not be
 * refreshed…", "…log in again…"), and `Missing environment variable: \`X\`` for a provider
 * that reads its key from the environment.
 */
const NOT_LOGGED_IN = [
  /\bnot logged in\b/i,
  /unexpected status 401\b/,
  /access token could not be refreshed/i,
  /please (?:log|sign) in again/i,
  /Missing environment variable: `/,
];

/** Keeps a CLI message short and single-line before it goes into an error body. */
function brief(text: string): string {
  const line =
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      // The CLI's own start-up warnings (e.g. about PATH aliases) say nothing about the failure.
      .find((l) => l.length > 0 && !l.startsWith("WARNING:")) ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Turns a run that did not complete into a clear {@link CodexError}: missing binary, timeout,
 * plan exhausted, not logged in, a bad extra argument, a thread the CLI no longer has, the
 * CLI's retries running out on 429, or the CLI's own message.
 */
export function classifyCodexFailure(run: FailedCodexRun): CodexError {
  const { exit } = run;
  if (exit.spawnError !== undefined) {
    return codexNotInstalled(run.binary, exit.spawnError.code, exit.spawnError);
  }
  if (exit.timedOut) {
    return new CodexError(
      "timeout",
      `the codex CLI run did not finish within ${run.timeoutMs} ms and was stopped`,
    );
  }
  const text = [run.errorText, exit.stderr, exit.stdoutText].filter((t) => !!t).join("\n");
  const detail = brief(run.errorText ?? text);
  const quota = matchCodexQuotaText(text, run.now);
  if (quota?.kind === "exhausted") {
    return new CodexError("quota_exhausted", `${quota.detail}: ${detail}`, {
      billingSignal: codexBillingSignal(text),
      ...(quota.resetsAt === undefined ? {} : { resetsAt: quota.resetsAt }),
    });
  }
  if (quota?.kind === "rate-limited") {
    return new CodexError("rate_limited", `the model API is rate limiting requests: ${detail}`);
  }
  if (NOT_LOGGED_IN.some((p) => p.test(text))) {
    return new CodexError(
      "not_logged_in",
      `the codex CLI is not logged in: run \`codex login\` (switchyard never handles Codex credentials): ${detail}`,
    );
  }
  const unknown = /^error: unexpected argument '[^'\n]{1,80}' found/m.exec(exit.stderr)?.[0];
  if (unknown !== undefined) {
    return new CodexError(
      "bad_args",
      `the codex CLI rejected an argument (check the backend's "args"): ${unknown}`,
    );
  }
  if (/no rollout found for thread id|thread not found/i.test(text)) {
    return new CodexError("stale_session", `the codex CLI failed: ${detail}`);
  }
  if (/model[^\n]{0,60}(?:not found|does not exist|not supported)/i.test(run.errorText ?? "")) {
    return new CodexError(
      "model_not_found",
      `the requested model is not available to the codex CLI: ${detail}`,
    );
  }
  const how =
    exit.code !== null
      ? `exited with code ${exit.code}`
      : `was stopped by ${exit.signal ?? "a signal"}`;
  return new CodexError(
    "cli_failed",
    detail.length > 0
      ? `the codex CLI failed: ${detail}`
      : `the codex CLI ${how} without an answer`,
  );
}
