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
}

/** Node's promise-based fs as a {@link UsageFs}. */
export const nodeUsageFs: UsageFs = {
  mkdir: (path, options) => nodeFs.mkdir(path, options),
  open: (path, flags, mode) => nodeFs.open(path, flags, mode),
  rename: (from, to) => nodeFs.rename(from, to),
  unlink: (path) => nodeFs.unlink(path),
  readFile: (path) => nodeFs.readFile(path),
  readdir: (path) => nodeFs.readdir(path),
};

/** `usage.jsonl` for generation 0, `usage.N.jsonl` for rotated generation N. */
export function usageFileName(generation: number): string {
  return generation === 0 ? "usage.jsonl" : `usage.${generation}.jsonl`;
}

/** Generation of a usage log file name, or undefined for other files. */
export function usageGeneration(name: string): number | undefined {
  const m = /^usage(?:\.(\d+))?\.jsonl$/.exec(name);
  if (!m) return undefined;
  return m[1] === undefined ? 0 : Number(m[1]);
}

/** Is this error a "no such file"? */
export function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ENOENT";
}

/** Where the proxy keeps its usage log: `<home>/usage/`. */
export function usageLogDir(home: string): string {
  return join(home, "usage");
}
