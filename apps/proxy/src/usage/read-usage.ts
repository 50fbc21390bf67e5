import { join } from "node:path";
import { isUsageRecord, type UsageRecord } from "./record.js";
import { isNotFound, nodeUsageFs, sortUsageFiles, type UsageFs } from "./usage-fs.js";

/** What {@link readUsageRecords} found. */
export interface UsageReadResult {
  /** Oldest first: the older layout (`usage.N.jsonl` … `usage.jsonl`), then segments in order. */
  records: UsageRecord[];
  /** Lines that were not a complete record (a torn tail after a crash, or garbage). */
  skippedLines: number;
  files: string[];
}

/** Parse JSONL text: complete records in order, counting lines that are not records. */
export function parseUsageLines(text: string): { records: UsageRecord[]; skipped: number } {
  const records: UsageRecord[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const record = parseUsageLine(line);
    if (record !== undefined) records.push(record);
    else skipped++;
  }
  return { records, skipped };
}

/** One JSONL line as a usage record; undefined when it is not one (a torn tail, garbage). */
export function parseUsageLine(line: string): UsageRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isUsageRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The usage files in `dir` (every segment), oldest first, as paths; a missing directory has
 * none. `modifiedSince` (epoch ms) leaves out files last written before it: they hold no
 * record completed after it (a record is written after its request completed). A file gone
 * between the listing and its `stat` (dropped by the history cap) is left out.
 */
export async function listUsageFiles(options: {
  dir: string;
  fs?: UsageFs;
  modifiedSince?: number;
}): Promise<string[]> {
  const { dir, fs = nodeUsageFs, modifiedSince } = options;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const files: string[] = [];
  for (const { name } of sortUsageFiles(names)) {
    const file = join(dir, name);
    try {
      if (modifiedSince !== undefined && (await fs.stat(file)).mtimeMs < modifiedSince) continue;
    } catch (error) {
      if (isNotFound(error)) continue;
      throw error;
    }
    files.push(file);
  }
  return files;
}

/**
 * Read every usage file in `dir` (every segment, oldest first); a missing directory reads as
 * empty. `modifiedSince` (epoch ms) skips files last written before it: they hold no record
 * completed after it (a record is written after its request completed).
 */
export async function readUsageRecords(options: {
  dir: string;
  fs?: UsageFs;
  modifiedSince?: number;
}): Promise<UsageReadResult> {
  const { fs = nodeUsageFs } = options;
  const result: UsageReadResult = { records: [], skippedLines: 0, files: [] };
  const decoder = new TextDecoder();
  for (const file of await listUsageFiles(options)) {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      if (isNotFound(error)) continue; // dropped by the history cap while we listed
      throw error;
    }
    const { records, skipped } = parseUsageLines(decoder.decode(bytes));
    for (const r of records) result.records.push(r);
    result.skippedLines += skipped;
    result.files.push(file);
  }
  return result;
}
