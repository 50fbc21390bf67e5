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
    try {
      const value: unknown = JSON.parse(line);
      if (isUsageRecord(value)) records.push(value);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
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
  const { dir, fs = nodeUsageFs, modifiedSince } = options;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return { records: [], skippedLines: 0, files: [] };
    throw error;
  }
  const result: UsageReadResult = { records: [], skippedLines: 0, files: [] };
  const decoder = new TextDecoder();
  for (const { name } of sortUsageFiles(names)) {
    const file = join(dir, name);
    let bytes: Uint8Array;
    try {
      if (modifiedSince !== undefined && (await fs.stat(file)).mtimeMs < modifiedSince) continue;
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
