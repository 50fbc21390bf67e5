import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFailure, type FailedRun } from "./classify-failure.js";
import { ClaudeCodeError, isCliTooOldText, toProxyError } from "./errors.js";

const usageErrors = readFileSync(
  join(import.meta.dirname, "__fixtures__", "cli-usage-errors.txt"),
  "utf8",
);

type Overrides = Partial<Omit<FailedRun, "exit">> & { exit?: Partial<FailedRun["exit"]> };

const failed = (overrides: Overrides = {}): FailedRun => ({
  sawRateLimit: false,
  timeoutMs: 1000,
  binary: "claude",
  ...overrides,
  exit: {
    code: 1,
    signal: null,
    stderr: "",
    stdoutText: "",
    timedOut: false,
    aborted: false,
    ...overrides.exit,
  },
});

describe("classifyFailure", () => {
  it("names a missing binary", () => {
    const enoent = Object.assign(new Error("spawn claude ENOENT"), { code: "ENOENT" });
    const error = classifyFailure(failed({ exit: { spawnError: enoent, code: null } }));
    expect(error.code).toBe("not_installed");
    expect(error.message).toContain("npm install -g @anthropic-ai/claude-code");
  });

  it("names a timeout", () => {
    expect(
      classifyFailure(failed({ exit: { timedOut: true, signal: "SIGTERM", code: null } })).code,
    ).toBe("timeout");
  });

  it("recognises the CLI's usage errors from recorded stderr", () => {
    expect(isCliTooOldText("error: unknown option '--output-format'")).toBe(true);
    expect(isCliTooOldText(usageErrors)).toBe(false);
    const bad = classifyFailure(failed({ exit: { stderr: usageErrors } }));
    expect(bad.code).toBe("bad_args");
    expect(bad.message).toContain("error: unknown option '--bogus-flag'");
  });

  it("prefers a quota verdict over other readings of the same text", () => {
    const error = classifyFailure(
      failed({ errorText: "Claude AI usage limit reached|1795300000", errorTag: "rate_limit" }),
    );
    expect(error).toMatchObject({ code: "quota_exhausted", resetsAt: "2026-11-21T22:26:40.000Z" });
  });

  it("says what a timed-out run was retrying, and names an overloaded API (529)", () => {
    const timedOut = classifyFailure(failed({ exit: { timedOut: true }, lastRetryStatus: 500 }));
    expect(timedOut.message).toBe(
      "the claude CLI run did not finish within 1000 ms and was stopped: it was still retrying the Anthropic API, which kept answering HTTP 500",
    );
    const overloaded = classifyFailure(
      failed({
        lastRetryStatus: 529,
        errorText:
          "API Error: Repeated 529 Overloaded errors · check your inference gateway (127.0.0.1:48653)",
      }),
    );
    expect(overloaded.code).toBe("overloaded");
    expect(overloaded.message).not.toContain("127.0.0.1");
    expect(toProxyError(overloaded)).toMatchObject({
      status: 529,
      upstream: { type: "overloaded_error" },
    });
  });

  it("recognises a --resume session the CLI no longer has", () => {
    const error = classifyFailure(
      failed({ errorText: "No conversation found with session ID: d7ea0000-1111" }),
    );
    expect(error.code).toBe("stale_session");
    expect(error.message).toBe(
      "the claude CLI failed: No conversation found with session ID: d7ea0000-1111",
    );
  });

  it("names an unknown model as such (404), not as a CLI failure", () => {
    const error = classifyFailure(
      failed({
        errorText:
          "There's an issue with the selected model (claude-nope-9). It may not exist or you may not have access to it. Run --model to pick a different model.",
      }),
    );
    expect(error.code).toBe("model_not_found");
    expect(error.message).toBe(
      "the requested model is not available to the claude CLI: There's an issue with the selected model (claude-nope-9). It may not exist or you may not have access to it.",
    );
    expect(toProxyError(error)).toMatchObject({ status: 404, param: "model" });
  });

  it("falls back to the CLI's first error line, bounded, or to its exit code", () => {
    const long = classifyFailure(
      failed({ errorText: `API Error: ${"x".repeat(1000)}\nsecond line` }),
    );
    expect(long.message.length).toBeLessThan(360);
    expect(long.message).not.toContain("second line");
    expect(classifyFailure(failed({ exit: { code: 7 } })).message).toContain("exited with code 7");
  });
});

describe("toProxyError", () => {
  it("maps codes to statuses and keeps a retry-after for a known reset", () => {
    const status = (error: ClaudeCodeError) => toProxyError(error).status;
    expect(status(new ClaudeCodeError("client_tools", "x"))).toBe(400);
    expect(status(new ClaudeCodeError("not_logged_in", "x"))).toBe(401);
    // What cannot heal by itself is a 400 the SDKs and Claude Code do not retry.
    expect(status(new ClaudeCodeError("not_installed", "x"))).toBe(400);
    expect(status(new ClaudeCodeError("cli_too_old", "x"))).toBe(400);
    expect(status(new ClaudeCodeError("bad_args", "x"))).toBe(400);
    expect(toProxyError(new ClaudeCodeError("not_installed", "x")).isRetryable).toBe(false);
    expect(status(new ClaudeCodeError("timeout", "x"))).toBe(504);
    expect(status(new ClaudeCodeError("rate_limited", "x"))).toBe(429);
    const resetsAt = new Date(Date.now() + 90_000).toISOString();
    const quota = toProxyError(new ClaudeCodeError("quota_exhausted", "x", { resetsAt }));
    expect(quota.status).toBe(429);
    expect(Number(quota.retryAfter)).toBeGreaterThan(80);
    expect(toProxyError(new ClaudeCodeError("client_tools", "x")).param).toBe("tools");
  });
});
