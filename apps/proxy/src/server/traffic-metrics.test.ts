import { describe, expect, it, vi } from "vitest";
import type { RequestLogEntry } from "./request-log.js";
import { createTrafficMetrics, parseOverviewWindow } from "./traffic-metrics.js";

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

const api = (over: Partial<RequestLogEntry> = {}): RequestLogEntry => ({
  time: "",
  id: "x",
  method: "POST",
  path: "/v1/chat/completions",
  status: 200,
  latencyMs: 100,
  backend: "oa",
  model: "gpt-4o",
  inputTokens: 10,
  outputTokens: 5,
  costUsd: 0.01,
  ...over,
});

describe("traffic metrics", () => {
  it("counts API calls only, with rates over the proxy's age when it is younger than the window", () => {
    let now = T0;
    const metrics = createTrafficMetrics({ now: () => now, startedAt: T0 - 60_000 });
    metrics.record(api());
    metrics.record(api({ status: 502, backend: "an", model: "claude", costUsd: null }));
    metrics.record(api({ method: "GET", path: "/status" }));
    metrics.record(api({ method: "GET", path: "/v1/models" }));
    metrics.record(api({ status: 499, clientClosed: true }));
    now = T0 + 500;
    const o = metrics.overview("15m");
    expect(o.totals.requests).toBe(3);
    expect(o.totals.errors).toBe(1);
    expect(o.totals.errorRate).toBeCloseTo(1 / 3, 3);
    // 60.5 s old: 3 requests / 60.5 s, 45 tokens / 60.5 s.
    expect(o.totals.requestsPerSec).toBeCloseTo(3 / 60.5, 3);
    expect(o.totals.tokensPerSec).toBeCloseTo(45 / 60.5, 2);
    expect(o.totals.costUsd).toBeCloseTo(0.02, 6);
    expect(o.totals.costPerHourUsd).toBeCloseTo(0.02 / (60.5 / 3600), 4);
    expect(o.byBackend.map((g) => [g.name, g.requests, g.errors])).toEqual([
      ["oa", 2, 0],
      ["an", 1, 1],
    ]);
    expect(o.byModel[0]?.name).toBe("gpt-4o");
    expect(o.series.t).toHaveLength(90);
    expect(o.series.requests.at(-1)).toBe(3);
    expect(o.series.costByBackend.oa?.at(-1)).toBeCloseTo(0.02, 6);
    expect(o.series.costByBackend.an?.at(-1)).toBe(0);
  });

  it("reports p50 and p99 within the histogram's 15 %", () => {
    const now = T0;
    const metrics = createTrafficMetrics({ now: () => now, startedAt: T0 - 3_600_000 });
    for (let i = 1; i <= 100; i++) metrics.record(api({ latencyMs: i * 10 }));
    const { p50Ms, p99Ms } = metrics.overview("1h").totals;
    expect(p50Ms).toBeGreaterThan(500 * 0.85);
    expect(p50Ms).toBeLessThan(500 * 1.15);
    expect(p99Ms).toBeGreaterThan(990 * 0.85);
    expect(p99Ms).toBeLessThan(990 * 1.15);
  });

  it("drops requests older than the window, per window", () => {
    let now = T0;
    const metrics = createTrafficMetrics({ now: () => now, startedAt: T0 - 86_400_000 });
    metrics.record(api());
    now = T0 + 20 * 60_000;
    metrics.record(api({ backend: "late" }));
    expect(metrics.overview("15m").totals.requests).toBe(1);
    expect(metrics.overview("15m").byBackend.map((g) => g.name)).toEqual(["late"]);
    expect(metrics.overview("1h").totals.requests).toBe(2);
    now = T0 + 25 * 3_600_000;
    expect(metrics.overview("24h").totals.requests).toBe(0);
    expect(metrics.overview("24h").totals.p50Ms).toBeNull();
  });

  it("counts every request in every window, whether the overview is read between them or not", () => {
    let now = T0 + 1_000;
    const metrics = createTrafficMetrics({ now: () => now, startedAt: T0 - 86_400_000 });
    metrics.record(api());
    // Read mid-bucket, then more of the same 10 s, then the next 10 s and the next minute.
    expect(metrics.overview("1h").totals.requests).toBe(1);
    metrics.record(api({ latencyMs: 200 }));
    now = T0 + 9_999;
    metrics.record(api({ backend: "an" }));
    now = T0 + 10_000;
    metrics.record(api({ status: 500 }));
    now = T0 + 61_000;
    metrics.record(api({ model: "m2" }));
    for (const window of ["15m", "1h", "24h"] as const) {
      const o = metrics.overview(window);
      expect(o.totals.requests).toBe(5);
      expect(o.totals.errors).toBe(1);
      expect(o.totals.costUsd).toBeCloseTo(0.05, 6);
      expect(o.series.requests.reduce((a, b) => a + b, 0)).toBe(5);
      expect(o.byBackend.map((g) => [g.name, g.requests])).toEqual([
        ["oa", 4],
        ["an", 1],
      ]);
    }
    const series = metrics.overview("15m").series.requests;
    expect(series.slice(-7)).toEqual([3, 1, 0, 0, 0, 0, 1]);
    // A second read adds nothing twice.
    expect(metrics.overview("24h").totals.requests).toBe(5);
  });

  it("a request updates one bucket, not one per window", () => {
    let now = T0;
    const metrics = createTrafficMetrics({ now: () => now, startedAt: T0 });
    metrics.record(api());
    const get = vi.spyOn(Map.prototype, "get");
    try {
      for (let i = 0; i < 100; i++) metrics.record(api());
      // Per request: the backend's and the model's group of one bucket (three windows: 6).
      expect(get.mock.calls.length).toBeLessThanOrEqual(2 * 100);
    } finally {
      get.mockRestore();
    }
    now = T0 + 1;
    expect(metrics.overview("24h").totals.requests).toBe(101);
  });

  it("parses the window query", () => {
    expect(parseOverviewWindow(null)).toBe("15m");
    expect(parseOverviewWindow("24h")).toBe("24h");
    expect(parseOverviewWindow("toString")).toBeUndefined();
    expect(parseOverviewWindow("7d")).toBeUndefined();
  });
});
