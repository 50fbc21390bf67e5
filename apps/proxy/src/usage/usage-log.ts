import { type UsageEntry, usageEntryLine } from "./record.js";
import { nodeUsageFs, type UsageFs } from "./usage-fs.js";
import { createUsageSegments, UsageAppendError } from "./usage-segments.js";

/** How long a record may wait for company before the log writes (see `writeDelayMs`). */
export const DEFAULT_WRITE_DELAY_MS = 10;

/** Options of {@link createUsageLog}. */
export interface UsageLogOptions {
  /** Directory holding the usage log's segments (`usage-000001.jsonl`, …). */
  dir: string;
  /** Start a new segment once the current one would grow past this. Default 16 MiB. */
  maxBytes?: number;
  /** History kept: the oldest segments go once all would pass this. Default 256 MiB. */
  maxTotalBytes?: number;
  /**
   * A record handed to the log reaches its file within this many ms (the loss window of a
   * kill -9; a clean stop writes everything), counted from the oldest record waiting: records
   * handed over while a write is under way go out as soon as it is done once their window has
   * passed. Records of one window share one write. Default 10 (a longer window saves CPU, a
   * batch write costs ~50-100 µs however few records it holds, but under load a file write can
   * itself take tens of ms, and the documented loss window is 100 ms).
   */
  writeDelayMs?: number;
  /** After a failed write (disk full), the next attempt waits this long. Default 1000. */
  retryDelayMs?: number;
  /** Records kept for a retry while writes fail; the oldest beyond it are dropped. Default 100000. */
  maxQueuedRecords?: number;
  /** After a write, fdatasync within this many ms (batched; power loss only). Default 200. */
  syncDelayMs?: number;
  fs?: UsageFs;
  now?: () => number;
  logger?: { warn(message: string, meta?: unknown): void };
}

/** Append-only JSONL usage log. See {@link createUsageLog}. */
export interface UsageLog {
  /** Directory of the log. */
  readonly dir: string;
  /**
   * Hand one record to the writer; it reaches the file within `writeDelayMs`. The promise
   * resolves once it is written, or once a write of it failed (it is then retried); it never
   * rejects: failures are logged and counted in `stats()`.
   */
  append(entry: UsageEntry): Promise<void>;
  /** As `append`, for a caller that does not wait for the write: no promise is made. */
  add(entry: UsageEntry): void;
  /** Write every queued record now and fdatasync the file. */
  flush(): Promise<void>;
  /** Flush and close the file; later appends reopen it. */
  close(): Promise<void>;
  stats(): { written: number; errors: number; rotations: number; dropped: number };
}

/**
 * Durable usage log. The response does not wait for its record: `append` queues the line and a
 * timer writes everything queued in one `write` at most `writeDelayMs` later (so a kill -9
 * loses at most that window; `flush`/`close` on a clean stop lose nothing). Writes are
 * serialised, so lines never interleave; fdatasync is batched every `syncDelayMs`. A failed or
 * short write is cut back to the last complete record (see `createUsageSegments`) and its
 * records are retried. History is kept by size in never-renamed segments.
 */
export function createUsageLog(options: UsageLogOptions): UsageLog {
  const {
    dir,
    maxBytes = 16 * 1024 * 1024,
    maxTotalBytes = 256 * 1024 * 1024,
    writeDelayMs = DEFAULT_WRITE_DELAY_MS,
    retryDelayMs = 1000,
    maxQueuedRecords = 100_000,
    syncDelayMs = 200,
    fs = nodeUsageFs,
    now = Date.now,
    logger = console,
  } = options;
  const counters = { written: 0, errors: 0, rotations: 0, dropped: 0 };
  const segments = createUsageSegments({
    dir,
    fs,
    segmentBytes: maxBytes,
    maxTotalBytes,
    onRotate: () => counters.rotations++,
  });
  /** Lines waiting for the next write, and the callbacks of the appends that queued them. */
  let pending: string[] = [];
  let waiters: (() => void)[] = [];
  let batch: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** `performance.now()` when the oldest record in `pending` was handed over. */
  let oldestQueuedAt = 0;
  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | undefined;
  /** The last write failed: wait `retryDelayMs` before the next. */
  let failing = false;
  /** Every file operation runs after the one before it. */
  let ops: Promise<void> = Promise.resolve();
  const serial = (task: () => Promise<void>): Promise<void> => {
    ops = ops.then(task, task);
    return ops;
  };

  // Not serialised with the writes: an fdatasync on a busy disk must not hold up the next write.
  const sync = (): Promise<void> =>
    segments.datasync().catch((error) => {
      counters.errors++;
      logger.warn("usage log: fdatasync failed", error);
    });

  const scheduleSync = (): void => {
    if (syncTimer) return;
    syncTimer = setTimeout(() => {
      syncTimer = undefined;
      void sync();
    }, syncDelayMs);
    syncTimer.unref?.();
  };

  /** Writes everything queued now as one batch; settles its appends (never rejects). */
  const writeNow = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (writing || pending.length === 0) return writing ?? Promise.resolve();
    const lines = pending;
    const done = waiters;
    pending = [];
    waiters = [];
    batch = undefined;
    writing = serial(() => segments.append(lines)).then(
      () => {
        counters.written += lines.length;
        failing = false;
        scheduleSync();
      },
      (error) => {
        const written = error instanceof UsageAppendError ? error.written : 0;
        counters.written += written;
        counters.errors++;
        failing = true;
        logger.warn("usage log: append failed", error);
        // Keep what did not make it, first in line for the retry, within the bound.
        pending = lines.slice(written).concat(pending);
        const excess = pending.length - maxQueuedRecords;
        if (excess > 0) {
          pending = pending.slice(excess);
          counters.dropped += excess;
          logger.warn(`usage log: dropped ${excess} record(s) that could not be written`);
        }
      },
    );
    writing = writing.then(() => {
      writing = undefined;
      for (const resolve of done) resolve();
      if (pending.length > 0) arm();
    });
    return writing;
  };

  const arm = (): void => {
    if (timer || writing) return;
    // The window runs from the oldest queued record's hand-over: records queued while a write
    // was under way wait only for what is left of it, not for a whole window more.
    timer = setTimeout(
      writeNow,
      failing ? retryDelayMs : Math.max(0, oldestQueuedAt + writeDelayMs - performance.now()),
    );
    // Queued records keep the process alive until written; a retry on a full disk does not.
    if (failing) timer.unref?.();
  };

  /** Writes until nothing is queued, but gives up after a failed attempt (no spinning). */
  const drain = async (): Promise<void> => {
    if (writing) await writing;
    if (pending.length > 0) await writeNow();
  };

  /** Queues one record's line and arms the write. */
  const queue = (entry: UsageEntry): void => {
    if (pending.length === 0) oldestQueuedAt = performance.now();
    pending.push(usageEntryLine(entry, now()));
    arm();
  };

  return {
    dir,
    append(entry) {
      queue(entry);
      if (batch === undefined) {
        batch = new Promise<void>((resolve) => {
          waiters.push(resolve);
        });
      }
      return batch;
    },
    add: queue,
    async flush() {
      await drain();
      await sync();
    },
    async close() {
      if (syncTimer) clearTimeout(syncTimer);
      syncTimer = undefined;
      await drain();
      if (pending.length > 0) {
        logger.warn(`usage log: ${pending.length} record(s) could not be written before close`);
      }
      await serial(() => segments.close()).catch((error) => {
        counters.errors++;
        logger.warn("usage log: close failed", error);
      });
    },
    stats: () => ({ ...counters }),
  };
}
