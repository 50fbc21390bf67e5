import { describe, expect, it } from "vitest";
import shipped from "../../data/prices.json";
import { createProxyPriceTable, PRICE_TABLE_DATE } from "./prices.js";

describe("shipped price table", () => {
  const table = createProxyPriceTable();

  it("is dated, sourced, and every priced entry names a known source", () => {
    expect(PRICE_TABLE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(shipped.source.length).toBeGreaterThan(50);
    const sources = Object.keys(shipped.sources);
    for (const [pattern, entry] of Object.entries(shipped.models)) {
      const e = entry as { unknown?: boolean; from?: string };
      if (e.unknown) continue;
      expect(sources, pattern).toContain(e.from);
    }
  });

  it.each([
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4*", 3],
    ["claude-opus-4-1-20250805", "claude-opus-4-1*", 15],
    ["claude-opus-4-20250514", "claude-opus-4-2025*", 15],
    ["claude-opus-4-5-20251101", "claude-opus-4-5*", 5],
    ["claude-haiku-4-5-20251001", "claude-haiku-4-5*", 1],
    ["claude-3-5-haiku-20241022", "claude-3-5-haiku*", 0.8],
    ["gpt-4o", "gpt-4o", 2.5],
    ["gpt-4o-mini-2024-07-18", "gpt-4o-mini*", 0.15],
    ["gpt-4.1-mini", "gpt-4.1-mini*", 0.4],
    ["gpt-5-mini", "gpt-5-mini*", 0.25],
    ["o4-mini-2025-04-16", "o4-mini*", 1.1],
    ["deepseek-chat", "deepseek-chat", 0.27],
    ["llama-3.3-70b-versatile", "llama-3.3-70b-versatile", 0.59],
    ["anthropic/claude-sonnet-4.5", "anthropic/claude-sonnet-4*", 3],
    ["openai/gpt-4o-mini", "openai/gpt-4o-mini*", 0.15],
  ])("prices %s by %s", (model, pattern, input) => {
    expect(table.lookup(model)).toMatchObject({ pattern, price: { input }, source: "table" });
  });

  it.each([
    "o3-pro",
    "o1-mini",
    "gpt-5.1-codex",
    "gpt-4o-audio-preview",
    "mistralai/mixtral-8x7b",
    "deepseek/deepseek-r1",
  ])("leaves %s unpriced rather than guessing", (model) => {
    expect(table.lookup(model)).toBeUndefined();
  });

  it("lets config prices override the table", () => {
    const t = createProxyPriceTable({ "claude-*": { input: 1, output: 2 } });
    expect(t.lookup("claude-sonnet-4-5")).toMatchObject({
      source: "override",
      price: { input: 1 },
    });
    expect(t.cost("claude-sonnet-4-5", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(
      3,
    );
  });
});

describe("createProxyPriceTable memo", () => {
  it("answers a repeated lookup the same way, overrides included", () => {
    const table = createProxyPriceTable({ "my-model*": { input: 1, output: 2 } });
    for (let i = 0; i < 3; i++) {
      expect(table.lookup("my-model-v2")?.source).toBe("override");
      expect(table.cost("my-model-v2", { inputTokens: 1_000_000, outputTokens: 0 })).toBe(1);
      expect(table.lookup("gpt-4o")?.pattern).toBe("gpt-4o");
      expect(table.lookup("mystery-model")).toBeUndefined();
      expect(table.cost("mystery-model", { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
    }
  });
});
