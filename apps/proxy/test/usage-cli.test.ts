import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../src/cli/action.js";
import { runUsage } from "../src/cli/usage.js";
import { usageLogDir } from "../src/usage/usage-fs.js";
import { SEED_NOW, seedUsageLog } from "./fixtures/seed-usage.js";

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "switchyard-usage-cli-"));
  await seedUsageLog(usageLogDir(home));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const run = (extra: { since?: string; by?: string; json?: boolean } = {}) =>
  runUsage({ env: { SWITCHYARD_HOME: home }, now: SEED_NOW, ...extra });

async function readmeExample(): Promise<string> {
  const readme = await readFile(
    new URL("../../../packages/overage-guard/README.md", import.meta.url),
    "utf8",
  );
  const m = /<!-- usage-example:start -->\n```text\n([\s\S]*?)```\n<!-- usage-example:end -->/.exec(
    readme,
  );
  if (!m?.[1]) throw new Error("README has no usage example block");
  return m[1];
}

describe("switchyard usage", () => {
  it("prints exactly the example shown in the overage-guard README for the seeded log", async () => {
    const out = await run();
    expect(out).toBe(await readmeExample());
  });

  it("reads every rotated file (the seed rotates) and counts periods in UTC", async () => {
    const files = await readdir(usageLogDir(home));
    expect(files.length).toBeGreaterThan(1);
    const report = JSON.parse(await run({ json: true }));
    expect(report.records).toBe(10);
    expect(report.periods.today).toMatchObject({ requests: 4, errors: 1, unpriced: 1 });
    expect(report.periods.week.requests).toBe(6);
    expect(report.periods.month.requests).toBe(9);
    expect(report.periods.month.costUsd).toBeCloseTo(
      0.42 + 0.4425 + 0.0072 + 0.006258 + 0.45 + 0.033 + 0.0045,
      10,
    );
    expect(Object.keys(report.groups)).toEqual(["backend", "model", "session"]);
  });

  it("--since and --by narrow the window and the grouping", async () => {
    const report = JSON.parse(await run({ since: "24h", by: "backend", json: true }));
    expect(Object.keys(report.groups)).toEqual(["backend"]);
    expect(report.groups.backend.map((r: { key: string }) => r.key)).toEqual([
      "openai",
      "anthropic",
      "claude",
    ]);
    const days = await run({ since: "2026-11-17", by: "day" });
    expect(days).toContain("by day · since 2026-11-17 00:00");
    expect(days).toMatch(/2026-11-17\s+1\s/);
    expect(days).not.toContain("2026-11-10");
  });

  it("rejects a bad --since or --by with a usage error", async () => {
    await expect(run({ since: "last tuesday" })).rejects.toSatisfy(
      (e: unknown) => CliError.isInstance(e) && e.code === "usage" && e.message.includes("--since"),
    );
    await expect(run({ by: "planet" })).rejects.toSatisfy(
      (e: unknown) => CliError.isInstance(e) && e.message.includes("backend, model, session, day"),
    );
  });

  it("reports an empty home without failing", async () => {
    const empty = await mkdtemp(join(tmpdir(), "switchyard-empty-"));
    try {
      const out = await runUsage({ env: { SWITCHYARD_HOME: empty }, now: SEED_NOW });
      expect(out).toContain("0 requests logged");
      expect(out).toContain("(no requests)");
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
