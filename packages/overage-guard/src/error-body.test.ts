import { describe, expect, it } from "vitest";
import { createHaltErrorBody, HALT_HTTP_STATUS, haltRetryAfterSeconds } from "./error-body.js";
import type { CheckDenied } from "./types.js";

const denied: CheckDenied = {
  allowed: false,
  code: "halted",
  reason: 'daily budget "team" exceeded: $10.42 spent of $10.00',
  since: "2026-11-21T10:00:00.000Z",
  until: "2026-11-22T00:00:00.000Z",
  resumeHint:
    "run `switchyard resume` or POST /admin/resume; otherwise requests resume at 2026-11-22T00:00:00.000Z when the budget period ends",
};

describe("createHaltErrorBody", () => {
  it("builds an OpenAI error body that says why, since when and how to resume", () => {
    const body = createHaltErrorBody(denied, "openai");
    expect(body.error.type).toBe("overage_guard_halted");
    expect(body.error.code).toBe("overage_guard_halted");
    expect(body.error.param).toBeNull();
    expect(body.error.message).toBe(
      'switchyard overage guard halted requests since 2026-11-21T10:00:00.000Z: daily budget "team" exceeded: $10.42 spent of $10.00. To resume: run `switchyard resume` or POST /admin/resume; otherwise requests resume at 2026-11-22T00:00:00.000Z when the budget period ends.',
    );
    expect(HALT_HTTP_STATUS).toBe(503);
  });

  it("builds an Anthropic error body", () => {
    const body = createHaltErrorBody(denied, "anthropic");
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("api_error");
    expect(body.error.message).toContain("POST /admin/resume");
  });

  it("names in-flight denials distinctly and computes retry-after", () => {
    const inflight: CheckDenied = { ...denied, code: "budget_in_flight", until: undefined };
    expect(createHaltErrorBody(inflight, "openai").error.code).toBe(
      "overage_guard_budget_in_flight",
    );
    expect(haltRetryAfterSeconds(inflight)).toBeUndefined();
    expect(haltRetryAfterSeconds(denied, Date.parse("2026-11-21T23:59:00.500Z"))).toBe(60);
  });
});
