import { describe, expect, it } from "vitest";
import { aggregateUsage, NO_SESSION, parseSince, usagePeriod } from "./aggregate.js";
import type { UsageRecord } from "./record.js";

const rec = (time: string, over: Partial<UsageRecord> = {}): UsageRecord => ({
  v: 1,
  time,
  backend: "openai",
  model: "gpt-4o",
  inputTokens: 100,
  outputTokens: 10,
  cacheReadTokens: 5,
  cacheWriteTokens: 1,
  costUsd: 0.5,
  status: 200,
  latencyMs: 10,
  ...over,
});

const records = [
  rec("2026-11-20T23:59:59.000Z", {
    backend: "groq",
    model: "llama-3.3-70b-versatile",
    costUsd: 0.1,
  }),
  rec("2026-11-21T00:00:00.000Z", { session: "abc", status: 429 }),
  rec("2026-11-21T08:00:00.000Z", { backend: "anthropic", model: "claude-sonnet-4-5", costUsd: 2 }),
  rec("2026-11-21T09:00:00.000Z", { costUsd: null, session: "abc" }),
];

describe("aggregateUsage", () => {
  it("groups by backend with totals, sorted by cost", () => {
    const { rows, total } = aggregateUsage(records, { by: "backend" });
    expect(rows.map((r) => [r.key, r.requests, r.costUsd])).toEqual([
      ["anthropic", 1, 2],
      ["openai", 2, 0.5],
      ["groq", 1, 0.1],
    ]);
    expect(total).toEqual({
      requests: 4,
      errors: 1,
      inputTokens: 400,
      outputTokens: 40,
      cacheReadTokens: 20,
      cacheWriteTokens: 4,
      costUsd: 2.6,
      unpriced: 1,
    });
  });

  it("filters [since, until) and groups by session and day", () => {
    const since = Date.parse("2026-11-21T00:00:00Z");
    const bySession = aggregateUsage(records, { since, by: "session" }).rows;
    expect(bySession.map((r) => [r.key, r.requests])).toEqual([
      [NO_SESSION, 1],
      ["abc", 2],
    ]);
    const byDay = aggregateUsage(records, { by: "day", until: new Date(since) }).rows;
    expect(byDay.map((r) => r.key)).toEqual(["2026-11-20"]);
    expect(aggregateUsage(records, { by: "day" }).rows.map((r) => r.key)).toEqual([
      "2026-11-20",
      "2026-11-21",
    ]);
    expect(aggregateUsage(records, { by: "model" }).rows[0]?.key).toBe("claude-sonnet-4-5");
  });
});

describe("usage periods (UTC)", () => {
  const now = Date.parse("2026-11-22T23:30:00Z"); // a Sunday
  const iso = (p: { since: number; until: number }) => [
    new Date(p.since).toISOString(),
    new Date(p.until).toISOString(),
  ];
  it("today, this week (Monday start) and this month", () => {
    expect(iso(usagePeriod("today", now))).toEqual([
      "2026-11-22T00:00:00.000Z",
      "2026-11-23T00:00:00.000Z",
    ]);
    expect(iso(usagePeriod("week", now))).toEqual([
      "2026-11-16T00:00:00.000Z",
      "2026-11-23T00:00:00.000Z",
    ]);
    expect(iso(usagePeriod("week", Date.parse("2026-11-16T00:00:00Z")))[0]).toBe(
      "2026-11-16T00:00:00.000Z",
    );
    expect(iso(usagePeriod("month", now))).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2026-12-01T00:00:00.000Z",
    ]);
  });
  it("parses --since durations and ISO dates", () => {
    expect(parseSince("24h", now)).toBe(now - 86_400_000);
    expect(parseSince("7d", now)).toBe(now - 7 * 86_400_000);
    expect(parseSince("2w", now)).toBe(now - 14 * 86_400_000);
    expect(parseSince("90m", now)).toBe(now - 90 * 60_000);
    expect(parseSince("2026-11-01", now)).toBe(Date.parse("2026-11-01T00:00:00Z"));
    expect(parseSince("2026-11-01T12:00Z", now)).toBe(Date.parse("2026-11-01T12:00:00Z"));
    expect(parseSince("yesterday", now)).toBeUndefined();
    expect(parseSince("7", now)).toBeUndefined();
    expect(parseSince("2026-13-45", now)).toBeUndefined();
  });
});
