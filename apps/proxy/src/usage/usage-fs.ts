import * as nodeFs from "node:fs/promises";
import { join } from "node:path";

/** The part of a file handle the usage log uses (Node's `FileHandle` fits). */
export interface UsageFileHandle {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<{ bytesWritten: number }>;
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>;
  /** Cuts the file back to `length` bytes (after a failed or short append). */
  truncate(length: number): Promise<void>;
  datasync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** The file-system calls the usage log and its readers make (Node's `fs/promises` fits). */
export interface UsageFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: string, mode?: number): Promise<UsageFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ size: number; mtimeMs: number }>;
}

/** Node's promise-based fs as a {@link UsageFs}. */
export const nodeUsageFs: UsageFs = {
  mkdir: (path, options) => nodeFs.mkdir(path, options),
  open: (path, flags, mode) => nodeFs.open(path, flags, mode),
  rename: (from, to) => nodeFs.rename(from, to),
  unlink: (path) => nodeFs.unlink(path),
  readFile: (path) => nodeFs.readFile(path),
  readdir: (path) => nodeFs.readdir(path),
  stat: (path) => nodeFs.stat(path),
};

/**
 * A usage log file, in the order records were written. Segments `usage-NNNNNN.jsonl` are
 * written one after the other and never renamed (a reader listing the directory cannot miss a
 * file that moved under it); `usage.jsonl` and `usage.N.jsonl` are the older layout (renamed on
 * rotation, `usage.jsonl` the newest), read before every segment.
 */
export interface UsageFileName {
  name: string;
  /** Sort key, oldest first: legacy files are negative (older generation, lower), segments ≥ 1. */
  order: number;
  /** A segment's sequence number (undefined for the legacy layout). */
  seq?: number;
}

/** The file name of segment `seq`: `usage-000042.jsonl`. */
export function usageSegmentName(seq: number): string {
  return `usage-${String(seq).padStart(6, "0")}.jsonl`;
}

/** Parses a usage log file name; undefined for other files (temp files, unrelated names). */
export function parseUsageFileName(name: string): UsageFileName | undefined {
  const segment = /^usage-(\d{1,15})\.jsonl$/.exec(name);
  if (segment) {
    const seq = Number(segment[1]);
    return { name, order: seq, seq };
  }
  const legacy = /^usage(?:\.(\d{1,9}))?\.jsonl$/.exec(name);
  if (!legacy) return undefined;
  const generation = legacy[1] === undefined ? 0 : Number(legacy[1]);
  return { name, order: -1 - generation };
}

/** Usage log files among `names`, oldest first. */
export function sortUsageFiles(names: readonly string[]): UsageFileName[] {
  const files: UsageFileName[] = [];
  for (const name of names) {
    const file = parseUsageFileName(name);
    if (file !== undefined) files.push(file);
  }
  return files.sort((a, b) => a.order - b.order);
}

/** Is this error a "no such file"? */
export function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ENOENT";
}

/** Where the proxy keeps its usage log: `<home>/usage/`. */
export function usageLogDir(home: string): string {
  return join(home, "usage");
}
