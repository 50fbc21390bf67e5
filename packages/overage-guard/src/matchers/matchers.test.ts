import { describe, expect, it } from "vitest";
import { matchClaudeCodeUsageText } from "./claude-code-text.js";
import {
  matchCreditsExhausted,
  matchInsufficientQuota,
  matchPaymentRequired,
} from "./http-errors.js";
import { matchUpstreamResponse } from "./match-response.js";
import { matchOverageHeaders } from "./overage-headers.js";

describe("matchPaymentRequired", () => {
  it("matches any 402 and names OpenRouter's limit_source", () => {
    const body = {
      error: {
        code: 402,
        message: "Insufficient credits",
        metadata: { limit_source: "openrouter_credits" },
      },
    };
    expect(matchPaymentRequired({ status: 402, body })).toEqual({
      kind: "payment-required",
      detail: "upstream answered 402 Payment Required (openrouter_credits)",
    });
    expect(matchPaymentRequired({ status: 402, body: "not json" })?.kind).toBe("payment-required");
    expect(matchPaymentRequired({ status: 429, body })).toBeUndefined();
  });

  it("never echoes free text from the body", () => {
    const body = { error: { metadata: { limit_source: "sk-secret has spaces" } } };
    expect(matchPaymentRequired({ status: 402, body })?.detail).not.toContain("secret");
    // An identifier-shaped value is echoed only when it is short and not shaped like a key.
    for (const key of ["gsk_" + "a1B2c3D4".repeat(6) + "e5F6", "sk-proj-abc123", "x".repeat(33)]) {
      const keyBody = { error: { metadata: { limit_source: key } } };
      expect(matchPaymentRequired({ status: 402, body: keyBody })?.detail).not.toContain(key);
    }
  });
});

describe("matchInsufficientQuota", () => {
  const quota = {
    error: {
      message: "You exceeded your current quota, please check your plan and billing details.",
      type: "insufficient_quota",
      param: null,
      code: "insufficient_quota",
    },
  };
  it("matches a 429 with code or type insufficient_quota, as object or text", () => {
    expect(matchInsufficientQuota({ status: 429, body: quota })?.kind).toBe("insufficient-quota");
    expect(matchInsufficientQuota({ status: 429, body: JSON.stringify(quota) })?.kind).toBe(
      "insufficient-quota",
    );
    const typeOnly = { error: { type: "insufficient_quota", code: null } };
    expect(matchInsufficientQuota({ status: 429, body: typeOnly })?.kind).toBe(
      "insufficient-quota",
    );
  });
  it("ignores ordinary rate limits and other statuses", () => {
    const rate = { error: { type: "requests", code: "rate_limit_exceeded" } };
    expect(matchInsufficientQuota({ status: 429, body: rate })).toBeUndefined();
    expect(matchInsufficientQuota({ status: 400, body: quota })).toBeUndefined();
  });
});

describe("matchCreditsExhausted", () => {
  it("matches Anthropic's low credit balance 400", () => {
    const body = {
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "Your credit balance is too low to access the Anthropic API.",
      },
    };
    expect(matchCreditsExhausted({ status: 400, body })?.kind).toBe("credits-exhausted");
    expect(
      matchCreditsExhausted({ status: 400, body: { error: { message: "max_tokens too big" } } }),
    ).toBeUndefined();
  });
  it("matches a rejected 429 with out_of_credits, not an allowed response", () => {
    const headers = { "anthropic-ratelimit-unified-overage-disabled-reason": "out_of_credits" };
    expect(matchCreditsExhausted({ status: 429, headers })?.kind).toBe("credits-exhausted");
    expect(matchCreditsExhausted({ status: 200, headers })).toBeUndefined();
    expect(
      matchCreditsExhausted({
        status: 429,
        headers: { ...headers, "anthropic-ratelimit-unified-status": "allowed" },
      }),
    ).toBeUndefined();
  });
});

describe("matchOverageHeaders", () => {
  it("matches unified-status rejected + overage-status allowed (served from overage)", () => {
    const headers = new Headers({
      "Anthropic-Ratelimit-Unified-Status": "rejected",
      "Anthropic-Ratelimit-Unified-Overage-Status": "allowed_warning",
      "Anthropic-Ratelimit-Unified-Representative-Claim": "five_hour",
    });
    expect(matchOverageHeaders(headers)).toEqual({
      kind: "overage-billed",
      detail: "upstream billed this request as overage (claim five_hour)",
    });
  });
  it("matches overage-in-use: true in a plain header record", () => {
    expect(
      matchOverageHeaders({ "anthropic-ratelimit-unified-overage-in-use": "true" })?.kind,
    ).toBe("overage-billed");
  });
  it("matches mixed-case names in a plain header record", () => {
    const headers = {
      "content-type": "application/json",
      "Anthropic-Ratelimit-Unified-Status": "rejected",
      "anthropic-ratelimit-unified-overage-status": "allowed",
    };
    expect(matchOverageHeaders(headers)?.kind).toBe("overage-billed");
    expect(
      matchOverageHeaders({
        "x-request-id": "r",
        "Anthropic-Ratelimit-Unified-Overage-In-Use": "true",
      })?.kind,
    ).toBe("overage-billed");
  });
  it("walks a lower-case header record's names once, not once per absent header", () => {
    // A response without any overage header (the usual one), read on every request.
    let walks = 0;
    const record = new Proxy(
      { "content-type": "application/json", "x-request-id": "req_1", date: "now" },
      {
        ownKeys(target) {
          walks += 1;
          return Reflect.ownKeys(target);
        },
      },
    );
    expect(matchOverageHeaders(record)).toBeUndefined();
    expect(walks).toBe(1);
  });
  it("ignores account metadata on allowed responses", () => {
    expect(
      matchOverageHeaders({
        "anthropic-ratelimit-unified-status": "allowed",
        "anthropic-ratelimit-unified-overage-status": "rejected",
        "anthropic-ratelimit-unified-overage-disabled-reason": "org_level_disabled",
      }),
    ).toBeUndefined();
    expect(
      matchOverageHeaders({
        "anthropic-ratelimit-unified-status": "allowed",
        "anthropic-ratelimit-unified-overage-status": "allowed",
      }),
    ).toBeUndefined();
    expect(
      matchOverageHeaders({
        "anthropic-ratelimit-unified-status": "rejected",
        "anthropic-ratelimit-unified-overage-status": "rejected",
      }),
    ).toBeUndefined();
    expect(matchOverageHeaders(undefined)).toBeUndefined();
  });
  it("ignores error responses", () => {
    const headers = { "anthropic-ratelimit-unified-overage-in-use": "true" };
    expect(matchOverageHeaders(headers, 429)).toBeUndefined();
  });
});

describe("matchClaudeCodeUsageText", () => {
  it("recognises out of extra usage with a typographic apostrophe and reset time", () => {
    expect(
      matchClaudeCodeUsageText("You\u2019re out of extra usage \u00b7 resets 9pm (Europe/Rome)"),
    ).toEqual({
      kind: "credits-exhausted",
      detail: "claude: paid usage exhausted (resets 9pm Europe/Rome)",
    });
  });
  it("recognises usage-limit lines anywhere in multi-line output", () => {
    const text = "some progress\nYou've hit your session limit \u00b7 resets 3pm\n";
    expect(matchClaudeCodeUsageText(text)).toEqual({
      kind: "usage-limit",
      detail: "claude: usage limit reached (resets 3pm)",
    });
    expect(matchClaudeCodeUsageText("Opus 4.7 requires usage credits. Add funds")?.kind).toBe(
      "credits-exhausted",
    );
  });
  it("recognises the legacy pipe format with its epoch", () => {
    expect(matchClaudeCodeUsageText("Claude AI usage limit reached|1767225600")?.detail).toBe(
      "claude: usage limit reached (resets 2026-01-01T00:00:00.000Z)",
    );
  });
  it("does not match prose that merely mentions usage limits", () => {
    expect(
      matchClaudeCodeUsageText("I think you've hit your limit? No: the usage limit resets daily."),
    ).toBeUndefined();
    expect(matchClaudeCodeUsageText("")).toBeUndefined();
  });
});

describe("matchUpstreamResponse", () => {
  it("runs all HTTP matchers", () => {
    expect(matchUpstreamResponse({ status: 402 })?.kind).toBe("payment-required");
    expect(
      matchUpstreamResponse({
        status: 200,
        headers: { "anthropic-ratelimit-unified-overage-in-use": "true" },
      })?.kind,
    ).toBe("overage-billed");
    expect(matchUpstreamResponse({ status: 500 })).toBeUndefined();
  });
});

describe("getHeader", () => {
  it("reads lower-cased keys directly and any other casing by scan; arrays joined", async () => {
    const { getHeader } = await import("./internal.js");
    expect(getHeader({ "retry-after": "5" }, "Retry-After")).toBe("5");
    expect(getHeader({ "Retry-After": "7" }, "retry-after")).toBe("7");
    expect(getHeader({ "x-a": ["1", "2"] }, "X-A")).toBe("1, 2");
    expect(getHeader({ "x-a": undefined, "X-A": "3" }, "x-a")).toBe("3");
    expect(getHeader({ other: "1" }, "x-a")).toBeUndefined();
    expect(getHeader(new Headers({ "X-A": "4" }), "x-a")).toBe("4");
  });
});
