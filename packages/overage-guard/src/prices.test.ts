import { describe, expect, it } from "vitest";
import { OverageGuardError } from "./errors.js";
import { computeCost, createPriceTable } from "./prices.js";

describe("computeCost", () => {
  it("prices input, output, cache read and cache write per million tokens", () => {
    const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 2_000_000,
      cacheWriteTokens: 400_000,
    };
    expect(computeCost(usage, price)).toBeCloseTo(3 + 1.5 + 0.6 + 1.5, 10);
  });

  it("falls back to the input price for cache reads, 1.25 × input for cache writes", () => {
    expect(
      computeCost(
        { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000 },
        {
          input: 2,
          output: 8,
        },
      ),
    ).toBe(2);
    // Anthropic's 5-minute cache write: charging it at the input price under-counted it.
    expect(
      computeCost(
        { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 1_000_000 },
        {
          input: 3,
          output: 15,
        },
      ),
    ).toBeCloseTo(3.75, 10);
  });

  it("ignores negative or non-finite counts", () => {
    expect(
      computeCost({ inputTokens: -5, outputTokens: Number.NaN }, { input: 1, output: 1 }),
    ).toBe(0);
  });
});

describe("createPriceTable", () => {
  const table = createPriceTable({
    "claude-*": { input: 1, output: 1 },
    "claude-sonnet-4*": { input: 3, output: 15 },
    "claude-sonnet-4-5": { input: 3.5, output: 16 },
    "gpt-4o": { input: 2.5, output: 10 },
    "gpt-4o*": { input: 9, output: 9 },
    "mystery-*": { unknown: true },
  });

  it("prefers an exact name over any glob", () => {
    expect(table.lookup("claude-sonnet-4-5")?.pattern).toBe("claude-sonnet-4-5");
    expect(table.lookup("gpt-4o")?.price.input).toBe(2.5);
  });

  it("prefers the glob with the most literal characters", () => {
    expect(table.lookup("claude-sonnet-4-20250514")?.pattern).toBe("claude-sonnet-4*");
    expect(table.lookup("claude-haiku-4-5")?.pattern).toBe("claude-*");
    expect(table.lookup("gpt-4o-mini")?.pattern).toBe("gpt-4o*");
  });

  it("matches case-insensitively; an unknown marker blocks broader globs", () => {
    expect(table.lookup("CLAUDE-SONNET-4-5")?.pattern).toBe("claude-sonnet-4-5");
    expect(table.lookup("mystery-model")).toBeUndefined();
    const t = createPriceTable({ "o3*": { input: 2, output: 8 }, "o3-pro*": { unknown: true } });
    expect(t.lookup("o3-2025-04-16")?.pattern).toBe("o3*");
    expect(t.lookup("o3-pro")).toBeUndefined();
    expect(t.cost("o3-pro", { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
  });

  it("lets overrides beat the table even when less specific", () => {
    const t = createPriceTable(
      { "claude-sonnet-4-5": { input: 3, output: 15 } },
      { "claude-*": { input: 0, output: 0 } },
    );
    expect(t.lookup("claude-sonnet-4-5")).toEqual({
      pattern: "claude-*",
      price: { input: 0, output: 0 },
      source: "override",
    });
    expect(t.cost("claude-sonnet-4-5", { inputTokens: 10, outputTokens: 10 })).toBe(0);
    expect(t.cost("other", { inputTokens: 10, outputTokens: 10 })).toBeUndefined();
  });

  it("treats `?` as one character and escapes regex metacharacters", () => {
    const t = createPriceTable({
      "o?": { input: 1, output: 1 },
      "anthropic/claude-3.5*": { input: 2, output: 2 },
    });
    expect(t.lookup("o3")?.pattern).toBe("o?");
    expect(t.lookup("o3-mini")).toBeUndefined();
    expect(t.lookup("anthropic/claude-3.5-haiku")?.pattern).toBe("anthropic/claude-3.5*");
    expect(t.lookup("anthropic/claude-3x5-haiku")).toBeUndefined();
  });

  it.each([[{ input: -1, output: 1 }], [{ input: 1 }], ["cheap"]])(
    "rejects %j with invalid_price",
    (value) => {
      try {
        createPriceTable({ bad: value });
        expect.unreachable();
      } catch (error) {
        expect(OverageGuardError.isInstance(error)).toBe(true);
        expect((error as OverageGuardError).code).toBe("invalid_price");
      }
    },
  );
});
