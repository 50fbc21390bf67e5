import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { listUsageFiles, parseUsageLine } from "../usage/read-usage.js";
import { isNotFound } from "../usage/usage-fs.js";
import { OVERVIEW_WINDOWS, type TrafficMetrics } from "./traffic-metrics.js";

/** What {@link seedTrafficFromUsageLog} read. */
export interface TrafficSeedResult {
  /** Records counted into the overview. */
  records: number;
  files: number;
}

/** The longest window the overview shows: nothing older is read. */
const HISTORY_MS = OVERVIEW_WINDOWS["24h"].spanMs;

/**
 * Seeds the overview with the usage log's last 24 h before `until` (the proxy's start), so the
 * 24 h window shows the day's traffic, not only what this process served. Streams the files
 * line by line (files last written more than 24 h ago are not opened), off the request path:
 * the server starts and answers meanwhile. Records from `until` on are this process's own
 * (already counted live) and are skipped.
 */
export async function seedTrafficFromUsageLog(options: {
  metrics: TrafficMetrics;
  dir: string;
  /** The proxy's start, epoch ms. */
  until: number;
  now?: () => number;
}): Promise<TrafficSeedResult> {
  const { metrics, dir, until, now = Date.now } = options;
  const from = now() - HISTORY_MS;
  const result: TrafficSeedResult = { records: 0, files: 0 };
  for (const file of await listUsageFiles({ dir, modifiedSince: from })) {
    try {
      const lines = createInterface({
        input: createReadStream(file, { encoding: "utf8" }),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      for await (const line of lines) {
        if (line === "") continue;
        const value = parseUsageLine(line);
        if (value === undefined) continue; // a torn tail after a crash
        const at = Date.parse(value.time);
        if (!(at >= from && at < until)) continue;
        metrics.seed({
          at,
          status: value.status,
          ...(typeof value.error === "string" ? { error: value.error } : {}),
          latencyMs: typeof value.latencyMs === "number" ? value.latencyMs : 0,
          backend: value.backend,
          model: value.model,
          inputTokens: value.inputTokens,
          outputTokens: value.outputTokens,
          costUsd: value.costUsd,
        });
        result.records += 1;
      }
      result.files += 1;
    } catch (error) {
      if (isNotFound(error)) continue; // dropped by the history cap while we listed
      throw error;
    }
  }
  return result;
}
