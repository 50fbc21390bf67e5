import { join } from "node:path";
import {
  isNotFound,
  sortUsageFiles,
  type UsageFileHandle,
  type UsageFs,
  usageSegmentName,
} from "./usage-fs.js";

/** Options of {@link createUsageSegments}. */
export interface UsageSegmentsOptions {
  dir: string;
  fs: UsageFs;
  /** A segment is closed and the next one started once a write would take it past this. */
  segmentBytes: number;
  /** History kept: the oldest files are deleted while all of them would exceed this. */
  maxTotalBytes: number;
  onRotate?: () => void;
}

/** A failed append: `written` leading lines are complete on disk, the rest are not. */
export class UsageAppendError extends Error {
  constructor(
    readonly written: number,
    options: { cause: unknown },
  ) {
    super(`usage log: append failed after ${written} complete record(s)`, options);
    this.name = "UsageAppendError";
  }
}

/** The files of the usage log: appends whole lines to the newest segment. */
export interface UsageSegments {
  /**
   * Appends `lines` (each without its newline) in one write. On failure the file is cut back
   * to its last complete record (or, if that fails, the torn line is sealed before the next
   * write) and a {@link UsageAppendError} says how many lines made it.
   */
  append(lines: readonly string[]): Promise<void>;
  /** fdatasync of the current file; runs alongside appends (the file is not closed under it). */
  datasync(): Promise<void>;
  /** Closes the current file (after a datasync); the next append reopens it. */
  close(): Promise<void>;
}

const NEWLINE = 0x0a;

/**
 * The usage log on disk: numbered segments (`usage-000001.jsonl`, …) that are never renamed,
 * the newest one appended to. History is kept by size: a new segment is started every
 * `segmentBytes`, and the oldest files are deleted only when all of them would pass
 * `maxTotalBytes`; so a burst can drop at most its own size of the oldest history, never
 * everything before it.
 */
export function createUsageSegments(options: UsageSegmentsOptions): UsageSegments {
  const { dir, fs, segmentBytes, maxTotalBytes, onRotate } = options;
  let handle: UsageFileHandle | undefined;
  /** Bytes of complete records (plus sealed fragments) in the current segment. */
  let size = 0;
  let seq = 0;
  /** The current segment ends inside a line: write a newline before the next record. */
  let sealNeeded = false;
  let dirty = false;
  /** Files before the current segment, oldest first (undefined until first listed). */
  let older: { name: string; size: number }[] | undefined;
  /** An fdatasync under way: it does not hold up appends, only the close of its file. */
  let syncing: Promise<void> | undefined;

  const list = async (): Promise<void> => {
    await fs.mkdir(dir, { recursive: true });
    const files = sortUsageFiles(await fs.readdir(dir));
    older = [];
    for (const file of files) {
      const bytes = await fs.stat(join(dir, file.name)).then(
        (s) => s.size,
        (e) => (isNotFound(e) ? -1 : Promise.reject(e)),
      );
      if (bytes >= 0) older.push({ name: file.name, size: bytes });
    }
    const last = files.at(-1);
    // Continue the newest segment unless it is full; a legacy `usage.jsonl` is left as it is.
    if (last?.seq !== undefined && (older.at(-1)?.size ?? 0) < segmentBytes) {
      seq = last.seq;
      older.pop();
    } else seq = (last?.seq ?? 0) + 1;
  };

  const open = async (): Promise<UsageFileHandle> => {
    if (handle) return handle;
    if (older === undefined) await list();
    const h = await fs.open(join(dir, usageSegmentName(seq)), "a+", 0o600);
    try {
      size = (await h.stat()).size;
      sealNeeded = false;
      if (size > 0) {
        // A crash can leave a torn last line; seal it so the next record is a line of its own.
        const last = new Uint8Array(1);
        await h.read(last, 0, 1, size - 1);
        sealNeeded = last[0] !== NEWLINE;
      }
    } catch (error) {
      await h.close().catch(() => {});
      throw error;
    }
    handle = h;
    return h;
  };

  const close = async (): Promise<void> => {
    const h = handle;
    handle = undefined;
    if (!h) return;
    await syncing;
    try {
      if (dirty) await h.datasync();
    } finally {
      dirty = false;
      await h.close();
    }
  };

  /** Starts the next segment, first deleting the oldest files beyond the history cap. */
  const rotate = async (): Promise<void> => {
    await close();
    const files = older ?? [];
    files.push({ name: usageSegmentName(seq), size });
    seq++;
    size = 0;
    let total = files.reduce((sum, f) => sum + f.size, 0);
    while (files.length > 0 && total + segmentBytes > maxTotalBytes) {
      const oldest = files.shift()!;
      await fs.unlink(join(dir, oldest.name)).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
      total -= oldest.size;
    }
    onRotate?.();
  };

  return {
    async append(lines) {
      const encode = () => Buffer.from(`${sealNeeded ? "\n" : ""}${lines.join("\n")}\n`, "utf8");
      let h = await open();
      let bytes = encode();
      if (size > 0 && size + bytes.length > segmentBytes) {
        await rotate();
        h = await open();
        bytes = encode();
      }
      let done = 0;
      try {
        // One write call per batch; the loop only runs again on a short write.
        while (done < bytes.length) {
          const { bytesWritten } = await h.write(bytes, done, bytes.length - done, null);
          if (bytesWritten <= 0) throw new Error("write made no progress");
          done += bytesWritten;
        }
      } catch (cause) {
        if (done === 0) throw new UsageAppendError(0, { cause });
        try {
          // Back to the last complete record: nothing of this batch stays on disk.
          await h.truncate(size);
          throw new UsageAppendError(0, { cause });
        } catch (truncateError) {
          if (truncateError instanceof UsageAppendError) throw truncateError;
        }
        // Could not cut it back: keep the complete lines, seal the torn one.
        const seal = sealNeeded ? 1 : 0;
        let written = 0;
        for (let i = seal; i < done; i++) if (bytes[i] === NEWLINE) written++;
        size += done;
        sealNeeded = bytes[done - 1] !== NEWLINE;
        dirty = true;
        throw new UsageAppendError(written, { cause });
      }
      size += bytes.length;
      sealNeeded = false;
      dirty = true;
    },
    async datasync() {
      if (syncing) await syncing;
      if (!handle || !dirty) return;
      dirty = false;
      syncing = handle.datasync().finally(() => {
        syncing = undefined;
      });
      await syncing;
    },
    close,
  };
}
