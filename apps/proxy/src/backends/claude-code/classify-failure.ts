import type { CliRunExit } from "../cli-runner/run-cli.js";
import {
  ClaudeCodeError,
  isCliTooOldText,
  isNotLoggedInText,
  unknownOptionLine,
} from "./errors.js";
import { matchClaudeQuotaText } from "./quota-matcher.js";

/** What the backend saw of a run that did not produce a complete answer. */
export interface FailedRun {
  exit: CliRunExit;
  /** Text of the CLI's synthetic error message or failed result, if any. */
  errorText?: string;
  /** The CLI's `error` tag on a synthetic message (e.g. `authentication_failed`, `rate_limit`). */
  errorTag?: string;
  /** The CLI retried an HTTP 429 during the run. */
  sawRateLimit: boolean;
  /** The HTTP status of the CLI's last retried API error, if any. */
  lastRetryStatus?: number;
  timeoutMs: number;
  binary: string;
}

/** Keeps a CLI message short and single-line before it goes into an error body. */
function brief(text: string): string {
  const line =
    text
      .split(/\r?\n/)
      .find((l) => l.trim().length > 0)
      ?.trim() ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Turns a failed run into a clear {@link ClaudeCodeError}: missing binary, timeout, usage
 * limit, not logged in, CLI too old, a rejected extra argument, or the CLI's own message.
 */
export function classifyFailure(run: FailedRun): ClaudeCodeError {
  const { exit } = run;
  if (exit.spawnError !== undefined) {
    const code = exit.spawnError.code;
    return new ClaudeCodeError(
      "not_installed",
      code === "ENOENT"
        ? `the claude CLI was not found (${run.binary}): install Claude Code (npm install -g @anthropic-ai/claude-code) and log in, or set the backend's "binary"`
        : `the claude CLI could not be started (${run.binary}): ${code ?? "spawn failed"}`,
      { cause: exit.spawnError },
    );
  }
  if (exit.timedOut) {
    // The CLI retries API errors for minutes: say what it was waiting out, if it said.
    const retrying =
      run.lastRetryStatus === undefined
        ? ""
        : `: it was still retrying the Anthropic API, which kept answering HTTP ${run.lastRetryStatus}`;
    return new ClaudeCodeError(
      "timeout",
      `the claude CLI run did not finish within ${run.timeoutMs} ms and was stopped${retrying}`,
    );
  }
  const text = [run.errorText, exit.stderr, exit.stdoutText]
    .filter((t): t is string => !!t)
    .join("\n");
  const quota = matchClaudeQuotaText(text);
  if (quota?.kind === "exhausted") {
    return new ClaudeCodeError(
      "quota_exhausted",
      `${quota.detail}: ${brief(run.errorText ?? text)}`,
      {
        ...(quota.resetsAt === undefined ? {} : { resetsAt: quota.resetsAt }),
      },
    );
  }
  if (run.errorTag === "authentication_failed" || isNotLoggedInText(text)) {
    return new ClaudeCodeError(
      "not_logged_in",
      "the claude CLI is not logged in: run `claude` once and log in with your Claude account (switchyard never handles Claude credentials)",
    );
  }
  if (isCliTooOldText(exit.stderr)) {
    return new ClaudeCodeError(
      "cli_too_old",
      "the installed claude CLI does not support the stream-json options this backend needs: update Claude Code (claude update)",
    );
  }
  const unknown = unknownOptionLine(exit.stderr);
  if (unknown !== undefined) {
    return new ClaudeCodeError(
      "bad_args",
      `the claude CLI rejected an argument (check the backend's "args"): ${unknown}`,
    );
  }
  if (/No conversation found with session ID/i.test(text)) {
    return new ClaudeCodeError(
      "stale_session",
      `the claude CLI failed: ${brief(run.errorText ?? text)}`,
    );
  }
  // "There's an issue with the selected model (x). It may not exist or you may not have
  // access to it. Run --model to pick a different model." — the CLI's words for the API's 404.
  if (
    /issue with the selected model|model[^\n]{0,40}(?:not found|does not exist|may not exist)/i.test(
      text,
    )
  ) {
    return new ClaudeCodeError(
      "model_not_found",
      `the requested model is not available to the claude CLI: ${brief(run.errorText ?? text).replace(/\s*Run --model[^.]*\.?/, "")}`,
    );
  }
  if (run.lastRetryStatus === 529 || /\boverloaded\b/i.test(run.errorText ?? "")) {
    // The CLI's own text here names its API base URL; ours says what the client needs.
    return new ClaudeCodeError(
      "overloaded",
      "Anthropic's API is overloaded (HTTP 529) and the claude CLI gave up retrying: try again shortly",
    );
  }
  if (run.errorTag === "rate_limit" || (run.sawRateLimit && /\b429\b/.test(text))) {
    return new ClaudeCodeError(
      "rate_limited",
      `Claude is rate limiting requests: ${brief(run.errorText ?? text)}`,
    );
  }
  const detail = brief(run.errorText ?? text);
  const how =
    exit.code !== null
      ? `exited with code ${exit.code}`
      : `was stopped by ${exit.signal ?? "a signal"}`;
  return new ClaudeCodeError(
    "cli_failed",
    detail.length > 0
      ? `the claude CLI failed: ${detail}`
      : `the claude CLI ${how} without an answer`,
  );
}
