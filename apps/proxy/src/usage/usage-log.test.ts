import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readUsageRecords } from "./read-usage.js";
import type { UsageEntry } from "./record.js";
import { nodeUsageFs, type UsageFs } from "./usage-fs.js";
import { createUsageLog } from "./usage-log.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-usage-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (i: number, extra: Partial<UsageEntry> = {}): UsageEntry => ({
  time: Date.parse("2026-11-21T10:00:00Z") + i * 1000,
  backend: "openai",
  model: "gpt-4o",
  session: "session-secret-id",
  inputTokens: 100 + i,
  outputTokens: 10,
  costUsd: 0.001,
  status: 200,
  latencyMs: 42.4,
  ...extra,
});

/**
 * Node's fs, counting the write calls made on the files it opens; `before(n)` (if given) is
 * awaited before the n-th write goes ahead.
 */
function countingFs(before?: (n: number) => Promise<void> | undefined): {
  fs: UsageFs;
  writes: () => number;
} {
  let writes = 0;
  const fs: UsageFs = {
    ...nodeUsageFs,
    async open(path, flags, mode) {
      const handle = await nodeUsageFs.open(path, flags, mode);
      const write = handle.write.bind(handle);
      handle.write = (async (...args: Parameters<typeof write>) => {
        writes++;
        await before?.(writes);
        return write(...args);
      }) as typeof handle.write;
      return handle;
    },
  };
  return { fs, writes: () => writes };
}

describe("createUsageLog", () => {
  it("writes a record's line without the generic JSON.stringify (it runs for every request)", async () => {
    const log = createUsageLog({ dir });
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      void log.append(entry(0, { target: "openai#0" }));
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    await log.close();
    const text = await readFile(join(dir, "usage-000001.jsonl"), "utf8");
    expect(JSON.parse(text)).toMatchObject({
      backend: "openai",
      target: "openai#0",
      inputTokens: 100,
    });
  });

  it("appends one JSON line per request, hashing the session", async () => {
    const log = createUsageLog({ dir });
    await log.append(entry(0, { billing: ["overage-billed"], target: "openai#0" }));
    await log.close();
    const text = await readFile(join(dir, "usage-000001.jsonl"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text).not.toContain("session-secret-id");
    const record = JSON.parse(text);
    expect(record).toEqual({
      v: 1,
      time: "2026-11-21T10:00:00.000Z",
      backend: "openai",
      target: "openai#0",
      model: "gpt-4o",
      session: expect.stringMatching(/^[0-9a-f]{16}$/),
      inputTokens: 100,
      outputTokens: 10,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0.001,
      status: 200,
      latencyMs: 42,
      billing: ["overage-billed"],
    });
  });

  it("writes the records of one event-loop turn in one write, and flush() does not wait for the turn", async () => {
    const counted = countingFs();
    const log = createUsageLog({ dir, fs: counted.fs });
    for (let i = 0; i < 5; i++) void log.append(entry(i));
    await log.flush();
    expect(counted.writes()).toBe(1);
    const { records } = await readUsageRecords({ dir });
    expect(records).toHaveLength(5);
    expect(log.stats().written).toBe(5);
    await log.close();
  });

  it("groups records queued during a write into one write call (group commit)", async () => {
    const counted = countingFs();
    const log = createUsageLog({ dir, fs: counted.fs });
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(entry(i))));
    await log.close();
    const { records } = await readUsageRecords({ dir });
    expect(records.map((r) => r.inputTokens)).toEqual(
      Array.from({ length: 100 }, (_, i) => 100 + i),
    );
    expect(counted.writes()).toBeGreaterThan(0);
    expect(counted.writes()).toBeLessThan(10);
  });

  it("serialises concurrent appends into whole lines in order", async () => {
    const log = createUsageLog({ dir });
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(entry(i))));
    await log.close();
    const { records, skippedLines } = await readUsageRecords({ dir });
    expect(skippedLines).toBe(0);
    expect(records.map((r) => r.inputTokens)).toEqual(
      Array.from({ length: 200 }, (_, i) => 100 + i),
    );
  });

  it("batches fdatasync instead of syncing every line", async () => {
    let syncs = 0;
    const fs: UsageFs = {
      ...nodeUsageFs,
      open: async (path, flags, mode) => {
        const handle = await nodeUsageFs.open(path, flags, mode);
        return Object.assign(Object.create(Object.getPrototypeOf(handle)), handle, {
          write: handle.write.bind(handle),
          read: handle.read.bind(handle),
          truncate: handle.truncate.bind(handle),
          stat: handle.stat.bind(handle),
          close: handle.close.bind(handle),
          datasync: async () => {
            syncs++;
            await handle.datasync();
          },
        });
      },
    };
    const log = createUsageLog({ dir, fs, syncDelayMs: 20 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(entry(i))));
    await new Promise((r) => setTimeout(r, 60));
    expect(syncs).toBeGreaterThanOrEqual(1);
    expect(syncs).toBeLessThanOrEqual(3);
    await log.flush();
    await log.close();
    expect(log.stats()).toEqual({ written: 100, errors: 0, rotations: 0, dropped: 0 });
  });

  it("rotates into numbered segments, keeps history up to the total cap, across restarts", async () => {
    const options = { dir, maxBytes: 1200, maxTotalBytes: 3600 };
    const first = createUsageLog(options);
    for (let i = 0; i < 10; i++) await first.append(entry(i));
    await first.close();
    const second = createUsageLog(options);
    for (let i = 10; i < 14; i++) await second.append(entry(i));
    await second.close();
    const names = (await readdir(dir)).sort();
    expect(names.every((n) => /^usage-\d{6}\.jsonl$/.test(n))).toBe(true);
    let total = 0;
    for (const name of names) {
      const bytes = (await readFile(join(dir, name))).byteLength;
      expect(bytes).toBeLessThanOrEqual(1200);
      total += bytes;
    }
    expect(total).toBeLessThanOrEqual(3600);
    const { records } = await readUsageRecords({ dir });
    const kept = records.map((r) => r.inputTokens - 100);
    // Only the oldest go; what remains is contiguous, ends with the newest, and fills the cap.
    expect(kept.at(-1)).toBe(13);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 14 - kept.length + i));
    expect(kept.length).toBeGreaterThanOrEqual(Math.floor((3600 - 1200) / 250));
    expect(first.stats().rotations + second.stats().rotations).toBeGreaterThanOrEqual(2);
  });

  it("a burst of huge model names does not rotate earlier history away", async () => {
    const log = createUsageLog({ dir });
    for (let i = 0; i < 50; i++) void log.append(entry(i));
    await log.flush();
    const huge = "m".repeat(8 * 1024 * 1024);
    for (let i = 0; i < 14; i++) void log.append(entry(100 + i, { model: huge }));
    await log.close();
    const { records } = await readUsageRecords({ dir });
    expect(records).toHaveLength(64);
    expect(records.slice(0, 50).map((r) => r.inputTokens)).toEqual(
      Array.from({ length: 50 }, (_, i) => 100 + i),
    );
    expect(records[60]?.model.length).toBeLessThanOrEqual(256);
    expect(log.stats().rotations).toBe(0);
  });

  it("reads the older layout (usage.N.jsonl, usage.jsonl) before the segments", async () => {
    const line = (i: number) =>
      `${JSON.stringify({ ...entry(i), v: 1, time: "2026-11-21T10:00:00Z", cacheReadTokens: 0, cacheWriteTokens: 0 })}\n`;
    await writeFile(join(dir, "usage.2.jsonl"), line(0));
    await writeFile(join(dir, "usage.1.jsonl"), line(1));
    await writeFile(join(dir, "usage.jsonl"), line(2));
    const log = createUsageLog({ dir });
    await log.append(entry(3));
    await log.close();
    const { records } = await readUsageRecords({ dir });
    expect(records.map((r) => r.inputTokens)).toEqual([100, 101, 102, 103]);
  });

  it("hands a record to the file within the write window, without a flush", async () => {
    const counted = countingFs();
    const window = 200;
    const log = createUsageLog({ dir, fs: counted.fs, writeDelayMs: window });
    const start = performance.now();
    for (let i = 0; i < 30; i++) void log.append(entry(i));
    const early = (await readUsageRecords({ dir })).records.length;
    // Judged only when the read beat the window (a loaded machine may take longer to read).
    if (performance.now() - start < window) expect(early).toBe(0);
    const read = async () => (await readUsageRecords({ dir })).records;
    await vi.waitFor(async () => expect(await read()).toHaveLength(30), {
      timeout: 5000,
      interval: 20,
    });
    expect(counted.writes()).toBe(1);
    await log.close();
  });

  it("add queues a record like append, without a promise, in the same write", async () => {
    const counted = countingFs();
    const log = createUsageLog({ dir, fs: counted.fs, writeDelayMs: 1000 });
    expect(log.add(entry(0))).toBeUndefined();
    const appended = log.append(entry(1));
    log.add(entry(2));
    await log.flush();
    await appended;
    expect((await readUsageRecords({ dir })).records.map((r) => r.inputTokens)).toEqual([
      100, 101, 102,
    ]);
    expect(counted.writes()).toBe(1);
    await log.close();
  });

  it("a record handed over during a slow write waits for that write, not a window more", async () => {
    const window = 300;
    let release: (() => void) | undefined;
    // The first write takes as long as the test says.
    const counted = countingFs((n) =>
      n === 1 ? new Promise<void>((resolve) => (release = resolve)) : undefined,
    );
    const log = createUsageLog({ dir, fs: counted.fs, writeDelayMs: window });
    void log.append(entry(0));
    await vi.waitFor(() => expect(release).toBeDefined(), { timeout: 5000, interval: 5 });
    // Handed over while the first write hangs, which then takes longer than a window.
    const second = log.append(entry(1));
    await new Promise((resolve) => setTimeout(resolve, window + 20));
    const releasedAt = performance.now();
    release?.();
    await second;
    // Written right after the slow write, not a whole window after it (as it was before).
    expect(counted.writes()).toBe(2);
    expect(performance.now() - releasedAt).toBeLessThan(window * 0.6);
    await log.close();
  });

  it("seals a torn tail so the next record is readable and the torn line is skipped", async () => {
    const log0 = createUsageLog({ dir });
    await log0.append(entry(0));
    await log0.close();
    const path = join(dir, "usage-000001.jsonl");
    await writeFile(path, `${await readFile(path, "utf8")}{"v":1,"time":"2026-11-21T1`);
    const log = createUsageLog({ dir });
    await log.append(entry(1));
    await log.close();
    const { records, skippedLines } = await readUsageRecords({ dir });
    expect(records.map((r) => r.inputTokens)).toEqual([100, 101]);
    expect(skippedLines).toBe(1);
  });

  it("never rejects on I/O failure; logs and counts it", async () => {
    const logger = { warn: vi.fn() };
    const fs: UsageFs = {
      ...nodeUsageFs,
      open: async () => Promise.reject(Object.assign(new Error("EACCES"), { code: "EACCES" })),
    };
    const log = createUsageLog({ dir, fs, logger });
    await expect(log.append(entry(0))).resolves.toBeUndefined();
    expect(log.stats().errors).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith("usage log: append failed", expect.any(Error));
  });

  it("reads a missing directory as empty", async () => {
    expect(await readUsageRecords({ dir: join(dir, "nope") })).toEqual({
      records: [],
      skippedLines: 0,
      files: [],
    });
  });
});
