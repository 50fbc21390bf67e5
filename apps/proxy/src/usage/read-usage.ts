import { join } from "node:path";
import { isUsageRecord, type UsageRecord } from "./record.js";
import { isNotFound, nodeUsageFs, type UsageFs, usageGeneration } from "./usage-fs.js";

/** What {@link readUsageRecords} found. */
export interface UsageReadResult {
  /** Oldest first (rotated files from the highest generation down, then `usage.jsonl`). */
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

/** Read every usage file in `dir` (current and rotated); a missing directory reads as empty. */
export async function readUsageRecords(options: {
  dir: string;
  fs?: UsageFs;
}): Promise<UsageReadResult> {
  const { dir, fs = nodeUsageFs } = options;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return { records: [], skippedLines: 0, files: [] };
    throw error;
  }
  const files = names
    .map((name) => ({ name, generation: usageGeneration(name) }))
    .filter((f): f is { name: string; generation: number } => f.generation !== undefined)
    .sort((a, b) => b.generation - a.generation)
    .map((f) => join(dir, f.name));
  const result: UsageReadResult = { records: [], skippedLines: 0, files: [] };
  const decoder = new TextDecoder();
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      if (isNotFound(error)) continue; // rotated away while we listed
      throw error;
    }
    const { records, skipped } = parseUsageLines(decoder.decode(bytes));
    for (const r of records) result.records.push(r);
    result.skippedLines += skipped;
    result.files.push(file);
  }
  return result;
}
