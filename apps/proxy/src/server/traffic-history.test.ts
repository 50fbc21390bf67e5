import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testConfig } from "../../test/helpers/config.js";
import { toUsageRecord } from "../usage/record.js";
import { startServer } from "./start-server.js";
import { seedTrafficFromUsageLog } from "./traffic-history.js";
import { createTrafficMetrics, type OverviewBody } from "./traffic-metrics.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "sy-traffic-history-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const MIN = 60_000;
const line = (at: number, model: string, extra: { status?: number; costUsd?: number } = {}) =>
  `${JSON.stringify(
    toUsageRecord(
      {
        backend: "oa",
        model,
        inputTokens: 10,
        outputTokens: 5,
        costUsd: extra.costUsd ?? 0.01,
        status: extra.status ?? 200,
        latencyMs: 120,
      },
      at,
    ),
  )}\n`;

describe("seedTrafficFromUsageLog", () => {
  it("counts the last 24 h before the start, streamed; older, later and torn lines are not", async () => {
    const now = Date.UTC(2026, 5, 1, 12, 0, 0);
    const dir = join(home, "usage");
    await import("node:fs/promises").then((fs) => fs.mkdir(dir));
    // An old file not written for two days: not even opened (it would count otherwise).
    const old = join(dir, "usage-000001.jsonl");
    await writeFile(old, line(now - 3 * 24 * 60 * MIN, "ancient"));
    await utimes(old, new Date(now - 2 * 24 * 60 * MIN), new Date(now - 2 * 24 * 60 * MIN));
    await writeFile(
      join(dir, "usage-000002.jsonl"),
      line(now - 25 * 60 * MIN, "too-old") +
        line(now - 3 * 60 * MIN, "hours-ago") +
        line(now - 5 * MIN, "minutes-ago", { status: 502, costUsd: 0.02 }) +
        line(now + 1000, "after-start") + // this process's own: counted live
        '{"v":1,"time":"2026-06-01T11:59', // torn by a crash
    );
    const metrics = createTrafficMetrics({ now: () => now + 2000, startedAt: now });
    const result = await seedTrafficFromUsageLog({
      metrics,
      dir,
      until: now,
      now: () => now,
    });
    expect(result).toEqual({ records: 2, files: 1 });
    const day: OverviewBody = metrics.overview("24h");
    expect(day.totals.requests).toBe(2);
    expect(day.totals.errors).toBe(1);
    expect(day.totals.costUsd).toBeCloseTo(0.03, 6);
    expect(day.byModel.map((g) => g.name).sort()).toEqual(["hours-ago", "minutes-ago"]);
    // Rates divide by the history seeded (3 h), not by the 2 s this process has run.
    expect(day.totals.costPerHourUsd).toBeCloseTo(0.03 / ((3 * 3600 + 2) / 3600), 5);
    const quarter = metrics.overview("15m");
    expect(quarter.totals.requests).toBe(1);
    expect(quarter.byModel[0]?.name).toBe("minutes-ago");
    expect(quarter.totals.p50Ms).toBeGreaterThan(100);
  });

  it("reads nothing from a missing folder", async () => {
    const metrics = createTrafficMetrics();
    const result = await seedTrafficFromUsageLog({
      metrics,
      dir: join(home, "nope"),
      until: Date.now(),
    });
    expect(result).toEqual({ records: 0, files: 0 });
  });

  it("a proxy started over a usage log shows the day's traffic in the 24 h overview", async () => {
    const now = Date.now();
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(home, "usage"), { recursive: true });
    let text = "";
    for (let i = 0; i < 40; i++) text += line(now - (i + 1) * 20 * MIN, `seeded-${i % 3}`);
    await writeFile(join(home, "usage", "usage-000001.jsonl"), text);
    const server = await startServer({
      config: testConfig({ home, configPath: join(home, "config.json") }),
      version: "0.0.0-test",
    });
    try {
      let body: OverviewBody | undefined;
      for (let i = 0; i < 100; i++) {
        body = (await (await fetch(`${server.url}/overview?window=24h`)).json()) as OverviewBody;
        if (body.totals.requests > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      // 40 records, one every 20 min: the last 24 h hold 40 × 20 min = 13.3 h of them.
      expect(body?.totals.requests).toBe(40);
      expect(body?.byModel.map((g) => g.name).sort()).toEqual(["seeded-0", "seeded-1", "seeded-2"]);
      const quarter = (await (
        await fetch(`${server.url}/overview?window=15m`)
      ).json()) as OverviewBody;
      expect(quarter.totals.requests).toBe(0);
    } finally {
      await server.close(100);
    }
  });
});
