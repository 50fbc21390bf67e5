import { join } from "node:path";
import { toUsageRecord, type UsageEntry } from "./record.js";
import {
  isNotFound,
  nodeUsageFs,
  type UsageFileHandle,
  type UsageFs,
  usageFileName,
} from "./usage-fs.js";

/** Options of {@link createUsageLog}. */
export interface UsageLogOptions {
  /** Directory holding `usage.jsonl` and its rotations. */
  dir: string;
  /** Rotate once the current file would grow past this. Default 16 MiB. */
  maxBytes?: number;
  /** Rotated files kept (`usage.1.jsonl` … `usage.N.jsonl`). Default 5. */
  keep?: number;
  /** After a write, fdatasync within this many ms (batched). Default 200. */
  syncDelayMs?: number;
  fs?: UsageFs;
  now?: () => number;
  logger?: { warn(message: string, meta?: unknown): void };
}

/** Append-only JSONL usage log. See {@link createUsageLog}. */
export interface UsageLog {
  /** Absolute path of the current file. */
  readonly path: string;
  /** Queue one record. Never rejects: failures are logged and counted in `stats()`. */
  append(entry: UsageEntry): Promise<void>;
  /** Wait for every queued write and fdatasync the file. */
  flush(): Promise<void>;
  /** Flush and close the file; later appends reopen it. */
  close(): Promise<void>;
  stats(): { written: number; errors: number; rotations: number };
}

const NEWLINE = 0x0a;

/**
 * Durable usage log: one fd opened in append mode, records written as whole lines (appends are
 * serialised through a queue and grouped: the records that arrive while a write is under way
 * go out together in the next single `write`, so lines never interleave), fdatasync
 * batched every `syncDelayMs`. Rotates by size (`usage.jsonl` → `usage.1.jsonl` …, keeping
 * `keep`). A torn final line from a crash is sealed with a newline on reopen so the next record
 * starts clean; readers skip the torn line.
 */
export function createUsageLog(options: UsageLogOptions): UsageLog {
  const {
    dir,
    maxBytes = 16 * 1024 * 1024,
    keep = 5,
    syncDelayMs = 200,
    fs = nodeUsageFs,
    now = Date.now,
    logger = console,
  } = options;
  const path = join(dir, usageFileName(0));
  let handle: UsageFileHandle | undefined;
  let size = 0;
  let dirty = false;
  let chain: Promise<void> = Promise.resolve();
  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Lines waiting for the next write, and the promise every one of them resolves with. A batch
   * is cut at the end of the event-loop turn (or when the write before it finishes), so the
   * records of all requests that complete together share one write call.
   */
  let pending: string[] = [];
  let batch: Promise<void> | undefined;
  let releaseBatch: (() => void) | undefined;
  let writing = false;
  let scheduled = false;
  const counters = { written: 0, errors: 0, rotations: 0 };

  const enqueue = (task: () => Promise<void>, what: string): Promise<void> => {
    chain = chain.then(task).catch((error) => {
      counters.errors++;
      logger.warn(`usage log: ${what} failed`, error);
    });
    return chain;
  };

  const open = async (): Promise<UsageFileHandle> => {
    if (handle) return handle;
    await fs.mkdir(dir, { recursive: true });
    const h = await fs.open(path, "a+", 0o600);
    size = (await h.stat()).size;
    if (size > 0) {
      // A crash can leave a torn last line; seal it so the next record is a line of its own.
      const last = new Uint8Array(1);
      await h.read(last, 0, 1, size - 1);
      if (last[0] !== NEWLINE) await writeAll(h, Uint8Array.of(NEWLINE));
      if (last[0] !== NEWLINE) size++;
    }
    handle = h;
    return h;
  };

  const closeHandle = async (): Promise<void> => {
    const h = handle;
    handle = undefined;
    if (!h) return;
    if (dirty) await h.datasync();
    dirty = false;
    await h.close();
  };

  const rotate = async (): Promise<void> => {
    await closeHandle();
    await fs.unlink(join(dir, usageFileName(keep))).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
    for (let g = keep - 1; g >= 0; g--) {
      await fs.rename(join(dir, usageFileName(g)), join(dir, usageFileName(g + 1))).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
    }
    counters.rotations++;
  };

  const sync = async (): Promise<void> => {
    if (handle && dirty) {
      dirty = false;
      await handle.datasync();
    }
  };

  const scheduleSync = (): void => {
    if (syncTimer) return;
    syncTimer = setTimeout(() => {
      syncTimer = undefined;
      void enqueue(sync, "fdatasync");
    }, syncDelayMs);
    syncTimer.unref?.();
  };

  /** Writes the pending lines as one batch; settles the batch's promise (never rejects). */
  const writeBatch = (): void => {
    scheduled = false;
    if (writing || pending.length === 0) return;
    writing = true;
    const lines = pending;
    const done = releaseBatch;
    pending = [];
    batch = undefined;
    releaseBatch = undefined;
    void enqueue(async () => {
      const bytes = Buffer.from(`${lines.join("\n")}\n`, "utf8");
      let h = await open();
      if (keep > 0 && size > 0 && size + bytes.length > maxBytes) {
        await rotate();
        h = await open();
      }
      await writeAll(h, bytes);
      size += bytes.length;
      dirty = true;
      counters.written += lines.length;
      scheduleSync();
    }, "append").then(() => {
      writing = false;
      done?.();
      // Records that came in while this batch was being written go out next.
      if (pending.length > 0) schedule();
    });
  };

  /** Writes what is pending now (not at the end of the turn) and waits for it. */
  const afterPending = (): Promise<void> => {
    const waitFor = batch;
    writeBatch();
    return waitFor ?? Promise.resolve();
  };

  const schedule = (): void => {
    if (scheduled || writing) return;
    scheduled = true;
    setImmediate(writeBatch);
  };

  return {
    path,
    append(entry) {
      pending.push(JSON.stringify(toUsageRecord(entry, now())));
      if (batch === undefined) {
        batch = new Promise<void>((resolve) => {
          releaseBatch = resolve;
        });
      }
      schedule();
      return batch;
    },
    flush() {
      return afterPending().then(() => enqueue(sync, "fdatasync"));
    },
    close() {
      if (syncTimer) clearTimeout(syncTimer);
      syncTimer = undefined;
      return afterPending().then(() => enqueue(closeHandle, "close"));
    },
    stats: () => ({ ...counters }),
  };
}

async function writeAll(handle: UsageFileHandle, bytes: Uint8Array): Promise<void> {
  // One write call per batch; the loop only runs again on a short write (disk full, signal).
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    if (bytesWritten <= 0) throw new Error("usage log: write made no progress");
    offset += bytesWritten;
  }
}
