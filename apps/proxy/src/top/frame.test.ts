import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../server/request-log.js";
import { createTrafficMetrics } from "../server/traffic-metrics.js";
import { type FrameInput, type FrameState, renderFrame } from "./frame.js";
import { createStyle } from "./layout.js";
import { TOP_VIEWS } from "./top-app.js";
import type { TopSnapshot } from "./top-client.js";

const NOW = Date.parse("2026-12-06T12:00:00.000Z");

const entry = (i: number, extra: Partial<RequestLogEntry> = {}): RequestLogEntry => ({
  time: new Date(NOW - 1000 * i).toISOString(),
  id: `r${i}`,
  method: "POST",
  path: "/v1/chat/completions",
  status: 200,
  latencyMs: 120,
  ttfbMs: 40,
  backend: "oa",
  target: "east",
  model: `model-${i % 7}-with-a-rather-long-name-that-will-not-fit`,
  inputTokens: 1000,
  outputTokens: 500,
  costUsd: 0.002,
  ...extra,
});

const requests = Array.from({ length: 40 }, (_, i) =>
  entry(i + 1, i === 3 ? { status: 502, error: "upstream_error" } : {}),
);

const snapshot: TopSnapshot = {
  at: NOW,
  status: {
    version: "1.2.3",
    uptimeMs: 3_723_000,
    inFlight: 2,
    requests: { total: 40, byBackend: { oa: { "200": 39, "502": 1 } } },
    backends: { oa: { type: "openai" }, echo: { type: "echo" } },
    guard: {
      enabled: true,
      behavior: "halt",
      state: "halted",
      halts: 1,
      reason: "budget daily crossed",
    },
  },
  requests,
  pool: {
    oa: {
      at: NOW,
      bindings: 3,
      queued: 0,
      targets: [
        {
          id: "east",
          weight: 1,
          available: true,
          availableAt: NOW,
          headroom: 0.4,
          health: 1,
          dimensions: {
            requests: {
              limit: 100,
              remaining: 40,
              resetAt: NOW + 12_000,
              headroom: 0.4,
              source: "headers",
            },
          },
          cooldownUntil: null,
          breaker: { state: "closed", consecutiveFailures: 0, openedAt: null },
          inFlight: 1,
          counts: {
            attempts: 30,
            rateLimited: 0,
            failures: 0,
            serverErrors: 1,
            connectionErrors: 0,
          },
        },
      ],
    },
  } as unknown as TopSnapshot["pool"],
  guard: {
    enabled: true,
    behavior: "halt",
    state: "halted",
    reason: "budget daily crossed",
    since: new Date(NOW - 60_000).toISOString(),
    halts: [],
    budgets: [{ name: "daily", period: "day", limitUsd: 0.05, spentUsd: 0.06, reservedUsd: 0 }],
  },
};

const metrics = createTrafficMetrics({ now: () => NOW, startedAt: NOW - 3_600_000 });
for (const r of requests) metrics.record(r);
const overview = metrics.overview("15m");

function input(columns: number, rows: number, state: Partial<FrameState> = {}): FrameInput {
  return {
    views: TOP_VIEWS,
    state: {
      view: 0,
      scroll: 0,
      address: "127.0.0.1:3456",
      connection: { state: "live" },
      ...state,
    },
    snapshot,
    overview,
    recent: [...requests].reverse(),
    now: NOW,
    columns,
    rows,
    style: createStyle(true),
  };
}

describe("renderFrame", () => {
  for (const [columns, rows] of [
    [80, 24],
    [40, 10],
    [160, 50],
  ] as const) {
    it(`fills exactly ${columns}×${rows} in every view`, () => {
      for (let view = 0; view < TOP_VIEWS.length; view++) {
        const lines = renderFrame(input(columns, rows, { view }));
        expect(lines).toHaveLength(rows);
        for (const line of lines) expect(stringWidth(line)).toBe(columns);
      }
    });
  }

  it("marks the current view and the halted guard, and shows what is cut off", () => {
    const lines = renderFrame(input(80, 24, { view: 1 }));
    expect(lines[0]).toContain("[2 Requests]");
    expect(lines[1]).toContain("HALTED (r to resume)");
    expect(lines[22]).toMatch(/… \d+ more \(↓\)/);
    const scrolled = renderFrame(input(80, 24, { view: 1, scroll: 5 }));
    expect(scrolled[2]).toContain("MODEL → BACKEND"); // the header stays
    expect(scrolled[3]).not.toBe(lines[3]);
  });

  it("says disconnected, retrying, with the age of the data shown", () => {
    const lines = renderFrame(
      input(80, 24, {
        connection: { state: "disconnected", reason: "ECONNREFUSED", lastOkAt: NOW - 7000 },
      }),
    );
    expect(lines[1]).toContain("disconnected, retrying (ECONNREFUSED) · last data 7s ago");
  });

  it("puts the resume question in the footer", () => {
    const lines = renderFrame(input(80, 24, { view: 3, confirm: "Resume the halted guard?" }));
    expect(lines[23]).toContain("Resume the halted guard? [y/N]");
    expect(lines.join("\n")).toMatch(/daily\s+day/);
  });

  it("draws the proxy's overview: totals, percentiles, backends and models", () => {
    const text = renderFrame({ ...input(80, 24), style: createStyle(false) }).join("\n");
    expect(text).toContain("Last 15m: 40 requests · p50");
    expect(text).toMatch(/^total\s+40\s+0\.04\s+/m); // 40 requests over 15 min
    expect(text).toMatch(/^oa\s+40\s+0\.04\s+67\.\d\s+\$0\.0800\s+\$0\.32\s+3%$/m);
    expect(text).toMatch(/^model-4-with-a-rather-long-na…\s+6\s+0\.01\s+[\d.]+\s+\$0\.0120/m);
  });
});
