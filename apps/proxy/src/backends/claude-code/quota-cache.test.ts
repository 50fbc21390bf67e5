import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ClaudeQuotaSnapshot,
  createClaudeQuotaCache,
  decideClaudeRouting,
  readClaudeQuota,
  writeClaudeQuota,
} from "./quota-cache.js";

const T0 = Date.parse("2026-11-21T12:00:00.000Z");
const MIN = 60_000;

function snapshot(overrides: Partial<ClaudeQuotaSnapshot> = {}): ClaudeQuotaSnapshot {
  return {
    version: 1,
    capturedAt: new Date(T0).toISOString(),
    source: "run",
    status: "ok",
    windows: [{ name: "usage", status: "ok" }],
    ...overrides,
  };
}

describe("decideClaudeRouting", () => {
  it("assumes limited when there is no snapshot", () => {
    expect(decideClaudeRouting(undefined, T0)).toMatchObject({
      prefer: false,
      fresh: false,
      present: false,
    });
  });

  it("prefers Claude with a fresh snapshot showing headroom, until it goes stale at 15 minutes", () => {
    expect(decideClaudeRouting(snapshot(), T0 + 14 * MIN)).toMatchObject({
      prefer: true,
      fresh: true,
    });
    const stale = decideClaudeRouting(snapshot(), T0 + 15 * MIN);
    expect(stale).toMatchObject({ prefer: false, fresh: false, present: true, ageMs: 15 * MIN });
    expect(stale.reason).toContain("stale");
    expect(decideClaudeRouting(snapshot(), T0 + 2 * MIN, MIN).fresh).toBe(false);
  });

  it("avoids Claude while a window is exhausted, and again prefers it once the reset passed", () => {
    const resetsAt = new Date(T0 + 5 * MIN).toISOString();
    const exhausted = snapshot({
      status: "exhausted",
      detail: "claude: five_hour limit reached",
      windows: [{ name: "five_hour", status: "exhausted", resetsAt }],
    });
    expect(decideClaudeRouting(exhausted, T0 + MIN)).toMatchObject({
      prefer: false,
      fresh: true,
      resetsAt,
    });
    expect(decideClaudeRouting(exhausted, T0 + 6 * MIN)).toMatchObject({
      prefer: true,
      fresh: true,
    });
  });

  it("treats an exhausted window without a reset time as exhausted while fresh", () => {
    const exhausted = snapshot({
      status: "exhausted",
      windows: [{ name: "overage", status: "exhausted" }],
    });
    expect(decideClaudeRouting(exhausted, T0 + 10 * MIN).prefer).toBe(false);
  });

  it("still prefers Claude near a limit (warning)", () => {
    const warning = snapshot({
      status: "warning",
      windows: [{ name: "seven_day", status: "warning", utilization: 0.9 }],
    });
    expect(decideClaudeRouting(warning, T0).prefer).toBe(true);
  });
});

describe("quota cache file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "switchyard-quota-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes atomically with mode 0600 and leaves no temp file", async () => {
    const path = join(dir, "state", "claude-quota.json");
    await writeClaudeQuota(path, snapshot());
    const inode = statSync(path).ino;
    await writeClaudeQuota(path, snapshot({ status: "warning" }));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Replaced by rename, not rewritten in place: a reader never sees half a file.
    expect(statSync(path).ino).not.toBe(inode);
    expect(readdirSync(join(dir, "state"))).toEqual(["claude-quota.json"]);
    expect((await readClaudeQuota(path))?.status).toBe("warning");
  });

  it("reads a missing or corrupt file as no snapshot", async () => {
    expect(await readClaudeQuota(join(dir, "nope.json"))).toBeUndefined();
    writeFileSync(join(dir, "bad.json"), "{not json");
    expect(await readClaudeQuota(join(dir, "bad.json"))).toBeUndefined();
    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ version: 2 }));
    expect(await readClaudeQuota(join(dir, "wrong.json"))).toBeUndefined();
  });

  it("records exhaustion durably: a new cache (a restarted proxy) still avoids Claude", async () => {
    let now = T0;
    const cache = createClaudeQuotaCache({ home: dir, now: () => now });
    await cache.load();
    expect(cache.decide().prefer).toBe(false);
    await cache.record({ kind: "ok", source: "run", detail: "claude: run succeeded" });
    expect(cache.decide()).toMatchObject({ prefer: true, fresh: true });
    await cache.record({
      kind: "exhausted",
      source: "message",
      window: "overage",
      detail: "claude: paid usage exhausted",
    });
    const restarted = createClaudeQuotaCache({ home: dir, now: () => now });
    await restarted.load();
    expect(restarted.decide()).toMatchObject({
      prefer: false,
      fresh: true,
      reason: "claude: paid usage exhausted",
    });
    const onDisk = JSON.parse(
      readFileSync(join(dir, "claude-quota.json"), "utf8"),
    ) as ClaudeQuotaSnapshot;
    expect(onDisk.windows.map((w) => [w.name, w.status])).toEqual([
      ["usage", "ok"],
      ["overage", "exhausted"],
    ]);
    now += 16 * MIN;
    expect(restarted.decide()).toMatchObject({ prefer: false, fresh: false });
  });

  it("clears exhausted windows after a successful run and throttles repeated successes", async () => {
    let now = T0;
    const cache = createClaudeQuotaCache({ home: dir, now: () => now });
    await cache.record({
      kind: "exhausted",
      source: "rate-limit-event",
      window: "five_hour",
      detail: "x",
    });
    now += MIN;
    await cache.record({ kind: "ok", source: "run", detail: "claude: run succeeded" });
    expect(cache.current()?.windows).toEqual([{ name: "usage", status: "ok" }]);
    const written = statSync(cache.path).mtimeMs;
    now += 10_000;
    await cache.record({ kind: "ok", source: "run", detail: "claude: run succeeded" });
    expect(cache.current()?.capturedAt).toBe(new Date(T0 + MIN).toISOString());
    expect(statSync(cache.path).mtimeMs).toBe(written);
  });

  it("ignores transient rate limits", async () => {
    const cache = createClaudeQuotaCache({ home: dir, now: () => T0 });
    await cache.record({ kind: "rate-limited", detail: "429" });
    expect(cache.current()).toBeUndefined();
  });
});
