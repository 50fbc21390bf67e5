import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GuardNotification } from "@switchyard/overage-guard";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGuardFromConfig } from "./guard-from-config.js";
import { usageLogDir } from "./usage-fs.js";
import { createUsageLog } from "./usage-log.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "switchyard-gfc-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const config = (enabled = true) => ({
  home,
  budgets: [{ name: "day", limitUsd: 1, period: "day" as const }],
  overageGuard: { enabled, behavior: "halt" as const, cooldownMs: 60_000, notifyOs: false },
});

describe("createGuardFromConfig", () => {
  it("is undefined when the guard is disabled", async () => {
    expect(await createGuardFromConfig(config(false))).toBeUndefined();
  });

  it("applies budgets, notifies, and restores a halt after a restart", async () => {
    const now = () => Date.parse("2026-11-21T10:00:00Z");
    const notes: GuardNotification[] = [];
    const first = await createGuardFromConfig(config(), { now, notify: (n) => notes.push(n) });
    first?.record({ backend: "openai", model: "gpt-4o", costUsd: 1.5 });
    await first?.flush();
    expect(notes.map((n) => n.level)).toEqual(["halt"]);
    const second = await createGuardFromConfig(config(), { now, notify: () => {} });
    expect(second?.check({ backend: "anthropic", model: "x" })).toMatchObject({
      allowed: false,
      budget: { key: "day", spentUsd: 1.5 },
    });
    // Its state is saved in the background: done before the temp home is removed.
    await second?.flush();
  });

  it("counts every billed record of the usage log that the saved state had not", async () => {
    const now = () => Date.parse("2026-11-21T10:00:00Z");
    const first = await createGuardFromConfig(config(), { now, notify: () => {} });
    first?.record({ backend: "openai", model: "gpt-4o", costUsd: 0.25 });
    await first?.flush();
    // The log holds that request and four more the state never saw (a kill -9 in between);
    // failed requests and yesterday's do not count.
    const log = createUsageLog({ dir: usageLogDir(home) });
    const done = { backend: "openai", model: "gpt-4o", status: 200, latencyMs: 1 };
    for (let i = 0; i < 5; i++) void log.append({ ...done, costUsd: 0.25, time: now() });
    void log.append({ ...done, costUsd: 5, status: 500, time: now() });
    void log.append({ ...done, costUsd: 5, time: "2026-11-20T10:00:00Z" });
    await log.close();
    const second = await createGuardFromConfig(config(), { now, notify: () => {} });
    expect(second?.snapshot().budgets[0]?.spentUsd).toBeCloseTo(1.25, 9);
    expect(second?.check({ backend: "openai", model: "gpt-4o" })).toMatchObject({
      allowed: false,
      code: "halted",
    });
    // The halt it found is saved in the background: done before the temp home is removed.
    await second?.flush();
  });
});
