import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readUsageRecords } from "./read-usage.js";
import type { UsageEntry } from "./record.js";
import { nodeUsageFs, type UsageFileHandle, type UsageFs } from "./usage-fs.js";
import { createUsageLog } from "./usage-log.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-usage-faults-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (i: number): UsageEntry => ({
  backend: "openai",
  model: "gpt-4o",
  inputTokens: i,
  outputTokens: 1,
  costUsd: 0.001,
  status: 200,
  latencyMs: 1,
});
const quiet = { warn: () => {} };
const enospc = () =>
  Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });

/**
 * Node's fs whose file handles, once `fill(n)` is called, write only `partial` bytes at a time
 * and fail the next `n` appends with ENOSPC (a disk that fills mid-write); `truncate` fails
 * too when asked.
 */
function fullDiskFs(options: { partial: number; truncateFails: boolean }): {
  fs: UsageFs;
  truncates: () => number;
  fill: (n: number) => void;
} {
  let failures = 0;
  let truncates = 0;
  const fs: UsageFs = {
    ...nodeUsageFs,
    async open(path, flags, mode) {
      const real = await nodeUsageFs.open(path, flags, mode);
      const handle: UsageFileHandle = {
        read: (...a) => real.read(...a),
        stat: () => real.stat(),
        datasync: () => real.datasync(),
        close: () => real.close(),
        async truncate(length) {
          truncates++;
          if (options.truncateFails) throw Object.assign(new Error("EIO"), { code: "EIO" });
          await real.truncate(length);
        },
        async write(buffer, offset, length, position) {
          if (failures <= 0) return real.write(buffer, offset, length, position);
          // A short write (what fitted), then the error on the call for the rest.
          if (length > options.partial && options.partial > 0) {
            return real.write(buffer, offset, options.partial, position);
          }
          failures--;
          throw enospc();
        },
      };
      return handle;
    },
  };
  return {
    fs,
    truncates: () => truncates,
    fill: (n) => {
      failures = n;
    },
  };
}

describe("usage log on a full disk", () => {
  it("cuts a short append back to the last complete record and writes the batch again later", async () => {
    const { fs, truncates, fill } = fullDiskFs({ partial: 70, truncateFails: false });
    // A retry far beyond the test: under load a 10 ms retry could rewrite the batch before the
    // file is read below. `close` writes what is still queued.
    const log = createUsageLog({ dir, fs, logger: quiet, retryDelayMs: 60_000 });
    await log.append(entry(1));
    fill(1);
    await log.append(entry(2)); // the disk fills in the middle of this one
    expect(log.stats().errors).toBe(1);
    expect(truncates()).toBe(1);
    // Nothing of the failed batch is on disk: the file ends with the last complete record.
    const [name] = await readdir(dir);
    const text = await readFile(join(dir, name!), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.trim().split("\n")).toHaveLength(1);
    void log.append(entry(3)); // queued behind the retry
    await log.close();
    const { records, skippedLines } = await readUsageRecords({ dir });
    expect(skippedLines).toBe(0);
    expect(records.map((r) => r.inputTokens)).toEqual([1, 2, 3]);
  });

  it("seals the torn line when it cannot cut it back, and never glues the next record to it", async () => {
    const { fs, fill } = fullDiskFs({ partial: 70, truncateFails: true });
    const log = createUsageLog({ dir, fs, logger: quiet, retryDelayMs: 10 });
    await log.append(entry(9));
    fill(1);
    for (let i = 0; i < 3; i++) void log.append(entry(10 + i)); // one batch of three
    await log.flush();
    await log.append(entry(20));
    await log.close();
    const { records, skippedLines } = await readUsageRecords({ dir });
    expect(skippedLines).toBe(1); // the fragment, alone on its line
    expect(records.map((r) => r.inputTokens)).toEqual([9, 10, 11, 12, 20]);
  });

  it("keeps records queued while the disk stays full, within a bound", async () => {
    const { fs, fill } = fullDiskFs({ partial: 0, truncateFails: false });
    fill(1000);
    const log = createUsageLog({ dir, fs, logger: quiet, maxQueuedRecords: 5 });
    for (let i = 0; i < 8; i++) void log.append(entry(i));
    await log.flush();
    expect(log.stats()).toMatchObject({ written: 0, dropped: 3 });
    await log.close();
  });
});

/** A real 64 KiB tmpfs, as root only (mount needs it); skipped elsewhere. */
const isRoot = process.getuid?.() === 0 && process.platform === "linux";
describe.skipIf(!isRoot)("usage log on a real full tmpfs", () => {
  let mnt: string | undefined;
  beforeEach(async () => {
    mnt = await mkdtemp(join(tmpdir(), "switchyard-tmpfs-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt], { stdio: "ignore" });
    } catch {
      await rm(mnt, { recursive: true, force: true });
      mnt = undefined; // no mount in this container: nothing to test
    }
  });
  afterEach(async () => {
    if (mnt === undefined) return;
    execFileSync("umount", [mnt]);
    await rm(mnt, { recursive: true, force: true });
  });

  it("recovers after ENOSPC: no glued or torn line, every record written once space is back", async (ctx) => {
    if (mnt === undefined) return ctx.skip();
    const usage = join(mnt, "usage");
    const log = createUsageLog({ dir: usage, logger: quiet, retryDelayMs: 10, writeDelayMs: 1 });
    await log.append(entry(0));
    // Fill the rest of the file system.
    const filler = join(mnt, "filler");
    await writeFile(filler, Buffer.alloc(60 * 1024)).catch(() => {});
    let n = 1;
    while (log.stats().errors === 0 && n < 2000) await log.append(entry(n++));
    expect(log.stats().errors).toBeGreaterThan(0);
    await unlink(filler);
    await log.append(entry(n++));
    await log.close();
    const { records, skippedLines } = await readUsageRecords({ dir: usage });
    expect(skippedLines).toBe(0);
    expect(records.map((r) => r.inputTokens)).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
