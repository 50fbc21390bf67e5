import { describe, expect, it } from "vitest";
import { cliErrorToProxyError } from "../cli-runner/cli-error.js";
import type { CliRunExit } from "../cli-runner/run-cli.js";
import { classifyCodexFailure } from "./classify-failure.js";

const exit = (extra: Partial<CliRunExit> = {}): CliRunExit => ({
  code: 1,
  signal: null,
  stderr: "WARNING: proceeding, even though we could not create PATH aliases\n",
  stdoutText: "",
  timedOut: false,
  aborted: false,
  ...extra,
});
const classify = (errorText: string | undefined, extra: Partial<CliRunExit> = {}) =>
  classifyCodexFailure({
    exit: exit(extra),
    timeoutMs: 1000,
    binary: "codex",
    ...(errorText === undefined ? {} : { errorText }),
  });

describe("classifyCodexFailure", () => {
  it("turns the CLI's usage-limit text into a 429 that halts the backend in the overage guard", () => {
    const error = classify(
      "You\u2019ve hit your usage limit. Visit https://chatgpt.com/codex/settings/usage to purchase more credits or try again at 3:28 PM.",
    );
    expect(error.code).toBe("quota_exhausted");
    expect(error.resetsAt).toBeDefined();
    const proxy = cliErrorToProxyError(error);
    expect(proxy.status).toBe(429);
    expect(proxy.billingSignals).toEqual(["usage-limit"]);
  });

  it("names what the user must fix: no binary, no login, a bad extra argument", () => {
    const enoent = Object.assign(new Error("spawn codex ENOENT"), { code: "ENOENT" });
    expect(classify(undefined, { spawnError: enoent, code: null })).toMatchObject({
      code: "not_installed",
    });
    // Recorded from a run against a mock that answered 401.
    expect(
      classify(
        "unexpected status 401 Unauthorized: Invalid token, url: http://127.0.0.1:1/v1/responses",
      ).code,
    ).toBe("not_logged_in");
    expect(classify("Not logged in").code).toBe("not_logged_in");
    const bad = classify(undefined, {
      stderr: "error: unexpected argument '--bogus-flag' found\n\nUsage: codex exec",
      code: 2,
    });
    expect(bad.code).toBe("bad_args");
    expect(cliErrorToProxyError(bad).isRetryable).toBe(false);
  });

  it("knows a forked thread the CLI no longer has, a timeout, and the CLI's own message", () => {
    // Recorded: `codex exec fork <unknown id> -`.
    const stale = classify(undefined, {
      stderr:
        "Error: thread/fork: thread/fork failed: no rollout found for thread id 01a2 (code -32600)\n",
    });
    expect(stale.code).toBe("stale_session");
    expect(classify(undefined, { timedOut: true, code: null, signal: "SIGTERM" }).code).toBe(
      "timeout",
    );
    const other = classify("stream disconnected before completion: eof");
    expect(other.code).toBe("cli_failed");
    expect(other.message).toBe("the codex CLI failed: stream disconnected before completion: eof");
  });
});
