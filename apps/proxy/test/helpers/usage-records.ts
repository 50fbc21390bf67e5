import { join } from "node:path";
import { readUsageRecords, type UsageReadResult } from "../../src/usage/read-usage.js";

/**
 * The usage log of `home` once it holds at least `count` records. A response no longer waits
 * for its record: the log writes it within its window (10 ms), so a test polls for at most 2 s.
 */
export async function usageRecordsOnFile(home: string, count: number): Promise<UsageReadResult> {
  const dir = join(home, "usage");
  const deadline = Date.now() + 2000;
  for (;;) {
    const result = await readUsageRecords({ dir });
    if (result.records.length >= count || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 10));
  }
}
