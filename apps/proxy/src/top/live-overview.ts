/**
 * Live rates over a window of finished requests (the entries of `GET /requests`): requests/s,
 * tokens/s, cost per hour, error rate and latency percentiles, in total, by backend and by model,
 * plus per-bucket series for sparklines. Pure: entries and the clock come in, numbers go out.
 */

/** The fields of a request-log entry the overview reads. */
export interface OverviewEntry {
  /** ISO time the request arrived. */
  time: string;
  latencyMs: number;
  status: number;
  backend?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number | null;
}

/** Rates over one group of requests. */
export interface OverviewStats {
  requests: number;
  /** Requests answered with status ≥ 400. */
  errors: number;
  requestsPerSec: number;
  tokensPerSec: number;
  costPerHour: number;
  /** errors / requests, 0 when there were none. */
  errorRate: number;
  /** Latency percentiles in ms; `null` without requests. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Requests whose model had no price (their cost counts as 0). */
  unpriced: number;
}

/** A group of {@link LiveOverview}. */
export interface OverviewRow extends OverviewStats {
  key: string;
}

/** Per-bucket sums, oldest bucket first. */
export interface OverviewSeries {
  bucketMs: number;
  requests: number[];
  tokens: number[];
  costUsd: number[];
  errors: number[];
}

/** What {@link computeOverview} returns. */
export interface LiveOverview {
  windowMs: number;
  total: OverviewStats;
  /** Sorted by requests, then key. */
  byBackend: OverviewRow[];
  byModel: OverviewRow[];
  series: OverviewSeries;
}

/** Options of {@link computeOverview}. */
export interface OverviewOptions {
  now: number;
  /** How far back to look. */
  windowMs: number;
  /** Buckets in {@link OverviewSeries}. Default 60. */
  buckets?: number;
}

/** When a request finished: its arrival plus its latency. */
export function finishedAt(entry: OverviewEntry): number {
  return Date.parse(entry.time) + Math.max(entry.latencyMs, 0);
}

/** Nearest-rank percentile of ascending `sorted`; `null` when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

const tokensOf = (e: OverviewEntry) => (e.inputTokens ?? 0) + (e.outputTokens ?? 0);

function stats(entries: readonly OverviewEntry[], windowMs: number): OverviewStats {
  const seconds = windowMs / 1000;
  let errors = 0;
  let tokens = 0;
  let cost = 0;
  let unpriced = 0;
  const latencies: number[] = [];
  for (const e of entries) {
    if (e.status >= 400) errors++;
    tokens += tokensOf(e);
    if (typeof e.costUsd === "number") cost += e.costUsd;
    else if (e.status < 400) unpriced++;
    latencies.push(e.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  const requests = entries.length;
  return {
    requests,
    errors,
    requestsPerSec: requests / seconds,
    tokensPerSec: tokens / seconds,
    costPerHour: (cost / seconds) * 3600,
    errorRate: requests === 0 ? 0 : errors / requests,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    unpriced,
  };
}

function groupRows(
  entries: readonly OverviewEntry[],
  keyOf: (e: OverviewEntry) => string,
  windowMs: number,
): OverviewRow[] {
  const groups = new Map<string, OverviewEntry[]>();
  for (const e of entries) {
    const key = keyOf(e);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [e]);
    else list.push(e);
  }
  return [...groups]
    .map(([key, list]) => ({ key, ...stats(list, windowMs) }))
    .sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key));
}

/**
 * Rates of the requests that finished in `(now - windowMs, now]`.
 * @example
 * const { total } = computeOverview(entries, { now: Date.now(), windowMs: 60_000 });
 * console.log(`${total.requestsPerSec.toFixed(1)} req/s, p99 ${total.p99Ms} ms`);
 */
export function computeOverview(
  entries: Iterable<OverviewEntry>,
  options: OverviewOptions,
): LiveOverview {
  const { now, windowMs, buckets = 60 } = options;
  const start = now - windowMs;
  const bucketMs = windowMs / buckets;
  const series: OverviewSeries = {
    bucketMs,
    requests: new Array(buckets).fill(0),
    tokens: new Array(buckets).fill(0),
    costUsd: new Array(buckets).fill(0),
    errors: new Array(buckets).fill(0),
  };
  const inWindow: OverviewEntry[] = [];
  for (const e of entries) {
    const at = finishedAt(e);
    if (!(at > start && at <= now)) continue;
    inWindow.push(e);
    const i = Math.min(buckets - 1, Math.floor((at - start) / bucketMs));
    series.requests[i] = (series.requests[i] ?? 0) + 1;
    series.tokens[i] = (series.tokens[i] ?? 0) + tokensOf(e);
    series.costUsd[i] = (series.costUsd[i] ?? 0) + (typeof e.costUsd === "number" ? e.costUsd : 0);
    if (e.status >= 400) series.errors[i] = (series.errors[i] ?? 0) + 1;
  }
  return {
    windowMs,
    total: stats(inWindow, windowMs),
    byBackend: groupRows(inWindow, (e) => e.backend ?? "(none)", windowMs),
    byModel: groupRows(inWindow, (e) => e.model ?? "(none)", windowMs),
    series,
  };
}
