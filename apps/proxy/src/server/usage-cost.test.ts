import { createPriceTable } from "@switchyard/overage-guard";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_ESTIMATE_OUTPUT_TOKENS,
  estimateRequestCostUsd,
  requestSessionKey,
  usageCostUsd,
} from "./usage-cost.js";

const prices = createPriceTable({ "m-*": { input: 1, output: 10 }, "free-*": { unknown: true } });
const messages = [{ role: "user", content: "hello there" }];

describe("cost estimate before the request", () => {
  it("bounds output by max_tokens (Anthropic) or max_completion_tokens/max_tokens (OpenAI)", () => {
    const anthropic = estimateRequestCostUsd(
      { dialect: "anthropic", model: "m-1", body: { max_tokens: 1000, messages } },
      prices,
    );
    const inputOnly = estimateRequestCostUsd(
      { dialect: "anthropic", model: "m-1", body: { max_tokens: 0.5, messages } },
      prices,
    );
    // 0.5 is not a usable bound, so the default applies; compare both against the output price.
    expect(inputOnly - anthropic).toBeCloseTo(
      ((DEFAULT_ESTIMATE_OUTPUT_TOKENS - 1000) * 10) / 1e6,
      9,
    );
    expect(anthropic).toBeGreaterThan((1000 * 10) / 1e6);
    const openai = estimateRequestCostUsd(
      { dialect: "openai", model: "m-1", body: { max_completion_tokens: 1000, messages } },
      prices,
    );
    expect(openai).toBeCloseTo(anthropic, 6);
  });

  it("is 0 for a model without a price and survives an unreadable body", () => {
    expect(
      estimateRequestCostUsd({ dialect: "openai", model: "free-x", body: { messages } }, prices),
    ).toBe(0);
    expect(estimateRequestCostUsd({ dialect: "openai", model: "other", body: {} }, prices)).toBe(0);
    const odd = estimateRequestCostUsd(
      { dialect: "anthropic", model: "m-1", body: { max_tokens: 10, messages: "nope" } },
      prices,
    );
    expect(odd).toBeGreaterThanOrEqual((10 * 10) / 1e6);
  });
});

describe("cost after the response", () => {
  it("prices reported usage; null without usage or price", () => {
    expect(usageCostUsd("m-1", { inputTokens: 1000, outputTokens: 100 }, prices)).toBeCloseTo(
      0.002,
      9,
    );
    expect(usageCostUsd("m-1", undefined, prices)).toBeNull();
    expect(usageCostUsd("free-1", { inputTokens: 1 }, prices)).toBeNull();
  });
});

describe("session key", () => {
  it("prefers the x-session-id header, else the body", () => {
    expect(requestSessionKey({ dialect: "openai", body: {} }, { "x-session-id": "s-1" })).toBe(
      "s-1",
    );
    expect(requestSessionKey({ dialect: "openai", body: { user: "u-9", messages } }, {})).toBe(
      "u-9",
    );
    const a = requestSessionKey({ dialect: "openai", body: { messages } }, {});
    expect(a).toBe(requestSessionKey({ dialect: "openai", body: { messages } }, {}));
  });
});
