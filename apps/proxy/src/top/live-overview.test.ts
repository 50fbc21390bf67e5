import { describe, expect, it } from "vitest";
import { computeOverview, type OverviewEntry, percentile } from "./live-overview.js";

const NOW = Date.parse("2026-12-06T12:00:00.000Z");
const at = (msAgo: number, extra: Partial<OverviewEntry> = {}): OverviewEntry => ({
  time: new Date(NOW - msAgo).toISOString(),
  latencyMs: 0,
  status: 200,
  backend: "oa",
  model: "gpt-test",
  inputTokens: 1000,
  outputTokens: 500,
  costUsd: 0.002,
  ...extra,
});

describe("percentile", () => {
  it("is nearest-rank and null when empty", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe("computeOverview", () => {
  it("turns a window of requests into rates, error rate and percentiles", () => {
    const entries = [
      ...Array.from({ length: 9 }, (_, i) => at(1000 * (i + 1), { latencyMs: 100 })),
      at(1500, { latencyMs: 900, status: 502, costUsd: null, inputTokens: 0, outputTokens: 0 }),
      at(120_000), // outside the 60 s window
    ];
    const { total } = computeOverview(entries, { now: NOW, windowMs: 60_000 });
    expect(total.requests).toBe(10);
    expect(total.errors).toBe(1);
    expect(total.errorRate).toBeCloseTo(0.1);
    expect(total.requestsPerSec).toBeCloseTo(10 / 60);
    expect(total.tokensPerSec).toBeCloseTo((9 * 1500) / 60);
    expect(total.costPerHour).toBeCloseTo(9 * 0.002 * 60);
    expect(total.p50Ms).toBe(100);
    expect(total.p99Ms).toBe(900);
    expect(total.unpriced).toBe(0);
  });

  it("counts a request when it finishes, not when it arrives", () => {
    const slow = at(61_000, { latencyMs: 2000 }); // arrived before the window, finished inside
    const running = at(1000, { latencyMs: 5000 }); // "finishes" after now: not yet
    const { total } = computeOverview([slow, running], { now: NOW, windowMs: 60_000 });
    expect(total.requests).toBe(1);
  });

  it("groups by backend and by model, busiest first", () => {
    const entries = [
      at(1000, { backend: "an", model: "claude-x" }),
      at(2000, { backend: "oa", model: "gpt-a" }),
      at(3000, { backend: "oa", model: "gpt-b" }),
      at(4000, { backend: undefined, model: undefined, status: 400 }),
    ];
    const o = computeOverview(entries, { now: NOW, windowMs: 60_000 });
    expect(o.byBackend.map((r) => [r.key, r.requests])).toEqual([
      ["oa", 2],
      ["(none)", 1],
      ["an", 1],
    ]);
    expect(o.byModel.map((r) => r.key)).toEqual(["(none)", "claude-x", "gpt-a", "gpt-b"]);
  });

  it("buckets the window oldest first for sparklines", () => {
    const entries = [at(59_500), at(30_500), at(500), at(400, { status: 500 })];
    const { series } = computeOverview(entries, { now: NOW, windowMs: 60_000, buckets: 6 });
    expect(series.bucketMs).toBe(10_000);
    expect(series.requests).toEqual([1, 0, 1, 0, 0, 2]);
    expect(series.errors).toEqual([0, 0, 0, 0, 0, 1]);
    expect(series.tokens[5]).toBe(3000);
  });

  it("counts priced errors and unpriced successes apart", () => {
    const { total } = computeOverview([at(1000, { costUsd: null })], { now: NOW, windowMs: 5000 });
    expect(total.unpriced).toBe(1);
    expect(total.costPerHour).toBe(0);
  });
});
