/**
 * Time-bucketed traffic metrics for the dashboard's Overview (`GET /ui`) and `switchyard top`.
 *
 * Stable API (both views read it; extend, don't break):
 * - {@link createTrafficMetrics}`({ now?, startedAt? })` → {@link TrafficMetrics}.
 * - `record(entry)`: one finished request (a {@link RequestLogEntry}); only API calls
 *   (`POST /v1/...`, see {@link isApiEntry}) count, so admin polls never show up as traffic.
 * - `overview(window)` → {@link OverviewBody}, also served as JSON by
 *   `GET /overview?window=15m|1h|24h` (default `15m`).
 *
 * Windows and their bucket widths: `15m` → 90 × 10 s, `1h` → 60 × 1 min, `24h` → 96 × 15 min.
 * Series are columnar (`series.t[i]` is bucket i's start, ms since the epoch; every other
 * array has the same length), ready for a chart. An error is a status ≥ 400, or an answer
 * that failed after it started (its `error`), that the client did not cause by leaving.
 * Latency percentiles come from a log-scale histogram (bins 15 % wide), so p50/p99 are within
 * 15 % of the exact value. Rates divide by the window's length, or by the time since
 * `startedAt` (or the oldest seeded request) when the history is shorter than that. In
 * memory; at start `seed` adds the usage log's last 24 h (see traffic-history.ts), so the
 * 24 h window does not begin empty.
 */
import { isFailedRecord } from "../usage/record.js";
import type { RequestLogEntry } from "./request-log.js";

/** A window the overview can show. */
export type OverviewWindow = "15m" | "1h" | "24h";

/** Every window, with its span and bucket width in ms. */
export const OVERVIEW_WINDOWS: Readonly<
  Record<OverviewWindow, { spanMs: number; bucketMs: number }>
> = {
  "15m": { spanMs: 15 * 60_000, bucketMs: 10_000 },
  "1h": { spanMs: 60 * 60_000, bucketMs: 60_000 },
  "24h": { spanMs: 24 * 60 * 60_000, bucketMs: 15 * 60_000 },
};

/** Totals of one group (a backend or a model) over the window. */
export interface OverviewGroup {
  name: string;
  requests: number;
  errors: number;
  tokens: number;
  costUsd: number;
  costPerHourUsd: number;
}

/** The body of `GET /overview`. */
export interface OverviewBody {
  window: OverviewWindow;
  bucketMs: number;
  /** ISO time of the first bucket's start and of now. */
  since: string;
  until: string;
  totals: {
    requests: number;
    errors: number;
    /** errors / requests, 0 when there were none. */
    errorRate: number;
    requestsPerSec: number;
    /** Input + output tokens per second. */
    tokensPerSec: number;
    costUsd: number;
    costPerHourUsd: number;
    p50Ms: number | null;
    p99Ms: number | null;
  };
  /** Columnar, one element per bucket, oldest first. */
  series: {
    t: number[];
    requests: number[];
    errors: number[];
    inputTokens: number[];
    outputTokens: number[];
    costUsd: number[];
    p50Ms: Array<number | null>;
    p99Ms: Array<number | null>;
    /** USD per bucket by backend name. */
    costByBackend: Record<string, number[]>;
  };
  /** Sorted by cost, then requests, descending. */
  byBackend: OverviewGroup[];
  byModel: OverviewGroup[];
}

/** A past request to count, e.g. a usage-log record (which holds only API calls). */
export interface TrafficSample {
  /** When it completed, epoch ms. */
  at: number;
  status: number;
  clientClosed?: boolean;
  /** The code of a failure after the answer started (its status is then 200). */
  error?: string;
  latencyMs: number;
  backend?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number | null;
}

/** The metrics store. */
export interface TrafficMetrics {
  /** Counts one finished request (ignored unless it is an API call). */
  record(entry: RequestLogEntry): void;
  /**
   * Counts a request from before this process (into the windows that still cover `at`);
   * rates then divide by the time since the oldest one seeded.
   */
  seed(sample: TrafficSample): void;
  /** The window's series and totals as of now. */
  overview(window: OverviewWindow): OverviewBody;
}

/** Options of {@link createTrafficMetrics}. */
export interface TrafficMetricsOptions {
  now?: () => number;
  /** When the proxy started (rates over a younger proxy divide by its age). Default: now. */
  startedAt?: number;
}

/** True for the requests that are traffic: `POST /v1/...` (not admin endpoints or `/v1/models`). */
export function isApiEntry(entry: Pick<RequestLogEntry, "method" | "path">): boolean {
  return entry.method === "POST" && entry.path.startsWith("/v1/");
}

const BIN_BASE = 1.15;
const BIN_MIN_MS = 0.1;
const BINS = 112; // up to ~9 minutes
const LOG_BASE = Math.log(BIN_BASE);

const binOf = (ms: number) =>
  ms <= BIN_MIN_MS
    ? 0
    : Math.min(BINS - 1, Math.max(0, Math.floor(Math.log(ms / BIN_MIN_MS) / LOG_BASE)));
/** A bin's value: its geometric middle. */
const binValue = (bin: number) => Math.round(BIN_MIN_MS * BIN_BASE ** (bin + 0.5) * 10) / 10;

interface Group {
  requests: number;
  errors: number;
  tokens: number;
  costUsd: number;
}

interface Bucket {
  start: number;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  hist: Uint32Array;
  byBackend: Map<string, Group>;
  byModel: Map<string, Group>;
}

const newBucket = (start: number): Bucket => ({
  start,
  requests: 0,
  errors: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  hist: new Uint32Array(BINS),
  byBackend: new Map(),
  byModel: new Map(),
});

function addTo(map: Map<string, Group>, key: string, error: boolean, tokens: number, cost: number) {
  let g = map.get(key);
  if (g === undefined) {
    g = { requests: 0, errors: 0, tokens: 0, costUsd: 0 };
    map.set(key, g);
  }
  g.requests += 1;
  if (error) g.errors += 1;
  g.tokens += tokens;
  g.costUsd += cost;
}

/** The value at quantile `q` of a histogram holding `count` samples; null when empty. */
function quantile(hist: Uint32Array, count: number, q: number): number | null {
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let i = 0; i < BINS; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return binValue(i);
  }
  return binValue(BINS - 1);
}

/** One window's ring of buckets. */
function createTier(spanMs: number, bucketMs: number) {
  const size = Math.round(spanMs / bucketMs);
  const ring: Array<Bucket | undefined> = new Array(size);
  const slot = (start: number) => Math.floor(start / bucketMs) % size;
  return {
    bucketFor(at: number): Bucket {
      const start = at - (at % bucketMs);
      const i = slot(start);
      let b = ring[i];
      if (b === undefined || b.start !== start) {
        b = newBucket(start);
        ring[i] = b;
      }
      return b;
    },
    /** The buckets of the window ending at `now`, oldest first (absent ones undefined). */
    window(now: number): { starts: number[]; buckets: Array<Bucket | undefined> } {
      const last = now - (now % bucketMs);
      const starts: number[] = [];
      const buckets: Array<Bucket | undefined> = [];
      for (let k = size - 1; k >= 0; k--) {
        const start = last - k * bucketMs;
        const b = ring[slot(start)];
        starts.push(start);
        buckets.push(b !== undefined && b.start === start ? b : undefined);
      }
      return { starts, buckets };
    },
  };
}

const sortGroups = (map: Map<string, Group>, hours: number): OverviewGroup[] =>
  [...map]
    .map(([name, g]) => ({
      name,
      requests: g.requests,
      errors: g.errors,
      tokens: g.tokens,
      costUsd: round6(g.costUsd),
      costPerHourUsd: round6(g.costUsd / hours),
    }))
    .sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests || (a.name < b.name ? -1 : 1));

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const round3 = (n: number) => Math.round(n * 1e3) / 1e3;

/** The finest bucket width: every window's buckets start on a multiple of it. */
const PENDING_MS = Math.min(...Object.values(OVERVIEW_WINDOWS).map((w) => w.bucketMs));

/** Adds one request to a bucket. */
function addSample(b: Bucket, entry: Omit<TrafficSample, "at">): void {
  const error = isFailedRecord(entry) && entry.clientClosed !== true;
  const input = entry.inputTokens ?? 0;
  const output = entry.outputTokens ?? 0;
  const cost = typeof entry.costUsd === "number" ? entry.costUsd : 0;
  const bin = binOf(entry.latencyMs);
  b.requests += 1;
  if (error) b.errors += 1;
  b.inputTokens += input;
  b.outputTokens += output;
  b.costUsd += cost;
  b.hist[bin] = (b.hist[bin] ?? 0) + 1;
  addTo(b.byBackend, entry.backend ?? "(none)", error, input + output, cost);
  addTo(b.byModel, entry.model ?? "(none)", error, input + output, cost);
}

/** Adds everything `from` counted to `into`. */
function addBucket(into: Bucket, from: Bucket): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.costUsd += from.costUsd;
  for (let i = 0; i < BINS; i++) into.hist[i] = (into.hist[i] ?? 0) + (from.hist[i] ?? 0);
  for (const [k, g] of from.byBackend) merge(into.byBackend, k, g);
  for (const [k, g] of from.byModel) merge(into.byModel, k, g);
}

/**
 * Creates the metrics store. A finished request is counted once, in the bucket of its
 * `PENDING_MS` (10 s); that bucket is added to every window's ring when a request of a later
 * 10 s arrives or an overview is read (the windows' buckets are whole multiples of it), so a
 * request costs one bucket update instead of one per window. The overview is computed on
 * demand from at most 96 buckets.
 *
 * @example
 * const metrics = createTrafficMetrics();
 * metrics.record(entry); // from the request log, once per finished request
 * const { totals } = metrics.overview("15m");
 */
export function createTrafficMetrics(options: TrafficMetricsOptions = {}): TrafficMetrics {
  const { now = Date.now } = options;
  // Where the history begins: the start, or the oldest request seeded from before it.
  let since = options.startedAt ?? now();
  const tiers = new Map(
    (Object.keys(OVERVIEW_WINDOWS) as OverviewWindow[]).map((w) => [
      w,
      createTier(OVERVIEW_WINDOWS[w].spanMs, OVERVIEW_WINDOWS[w].bucketMs),
    ]),
  );
  // The tiers as a plain array (iterating the Map makes a [key, value] pair per window).
  const tierList = [...tiers].map(([window, tier]) => ({
    spanMs: OVERVIEW_WINDOWS[window].spanMs,
    tier,
  }));
  /** Adds a bucket of requests (starting at `at`) to every window whose span still covers it. */
  const addToTiers = (at: number, bucket: Bucket, latest: number) => {
    for (let i = 0; i < tierList.length; i++) {
      const { spanMs, tier } = tierList[i]!;
      // An older bucket would take the ring slot of a current one (and is not shown anyway).
      if (at <= latest - spanMs) continue;
      addBucket(tier.bucketFor(at), bucket);
    }
  };
  /** This process's requests of the current 10 s, not yet in the windows. */
  let pending: Bucket | undefined;
  const fold = (latest: number) => {
    if (pending === undefined) return;
    addToTiers(pending.start, pending, latest);
    pending = undefined;
  };
  /** Adds one past request to every window whose span (ending `latest`) still covers `at`. */
  const count = (at: number, entry: Omit<TrafficSample, "at">, latest: number) => {
    for (let i = 0; i < tierList.length; i++) {
      const { spanMs, tier } = tierList[i]!;
      if (at <= latest - spanMs) continue;
      addSample(tier.bucketFor(at), entry);
    }
  };
  return {
    record(entry) {
      if (!isApiEntry(entry)) return;
      const at = now();
      const start = at - (at % PENDING_MS);
      if (pending === undefined || pending.start !== start) {
        fold(at);
        pending = newBucket(start);
      }
      addSample(pending, entry);
    },
    seed(sample) {
      const t = now();
      if (!(sample.at <= t && sample.at > t - OVERVIEW_WINDOWS["24h"].spanMs)) return;
      count(sample.at, sample, t);
      if (sample.at < since) since = sample.at;
    },
    overview(window) {
      const { spanMs, bucketMs } = OVERVIEW_WINDOWS[window];
      const t = now();
      fold(t);
      const tier = tiers.get(window);
      if (tier === undefined) throw new Error(`unknown window ${window}`);
      const { starts, buckets } = tier.window(t);
      const hist = new Uint32Array(BINS);
      const byBackend = new Map<string, Group>();
      const byModel = new Map<string, Group>();
      const backendNames = new Set<string>();
      for (const b of buckets) for (const name of b?.byBackend.keys() ?? []) backendNames.add(name);
      const series: OverviewBody["series"] = {
        t: starts,
        requests: [],
        errors: [],
        inputTokens: [],
        outputTokens: [],
        costUsd: [],
        p50Ms: [],
        p99Ms: [],
        costByBackend: Object.fromEntries([...backendNames].map((n) => [n, [] as number[]])),
      };
      let requests = 0;
      let errors = 0;
      let tokens = 0;
      let cost = 0;
      for (const b of buckets) {
        series.requests.push(b?.requests ?? 0);
        series.errors.push(b?.errors ?? 0);
        series.inputTokens.push(b?.inputTokens ?? 0);
        series.outputTokens.push(b?.outputTokens ?? 0);
        series.costUsd.push(round6(b?.costUsd ?? 0));
        series.p50Ms.push(b ? quantile(b.hist, b.requests, 0.5) : null);
        series.p99Ms.push(b ? quantile(b.hist, b.requests, 0.99) : null);
        for (const name of backendNames) {
          series.costByBackend[name]?.push(round6(b?.byBackend.get(name)?.costUsd ?? 0));
        }
        if (b === undefined) continue;
        requests += b.requests;
        errors += b.errors;
        tokens += b.inputTokens + b.outputTokens;
        cost += b.costUsd;
        for (let i = 0; i < BINS; i++) hist[i] = (hist[i] ?? 0) + (b.hist[i] ?? 0);
        for (const [k, g] of b.byBackend) merge(byBackend, k, g);
        for (const [k, g] of b.byModel) merge(byModel, k, g);
      }
      const firstStart = starts[0] ?? t;
      const seconds = Math.max(1, Math.min(t - firstStart, t - since, spanMs) / 1000);
      const hours = seconds / 3600;
      return {
        window,
        bucketMs,
        since: new Date(firstStart).toISOString(),
        until: new Date(t).toISOString(),
        totals: {
          requests,
          errors,
          errorRate: requests === 0 ? 0 : round3(errors / requests),
          requestsPerSec: round3(requests / seconds),
          tokensPerSec: round3(tokens / seconds),
          costUsd: round6(cost),
          costPerHourUsd: round6(cost / hours),
          p50Ms: quantile(hist, requests, 0.5),
          p99Ms: quantile(hist, requests, 0.99),
        },
        series,
        byBackend: sortGroups(byBackend, hours),
        byModel: sortGroups(byModel, hours),
      };
    },
  };
}

function merge(into: Map<string, Group>, key: string, g: Group) {
  const to = into.get(key);
  if (to === undefined) {
    into.set(key, { ...g });
    return;
  }
  to.requests += g.requests;
  to.errors += g.errors;
  to.tokens += g.tokens;
  to.costUsd += g.costUsd;
}

/** Parses `?window=`: one of {@link OVERVIEW_WINDOWS}' keys, default `15m`; undefined if invalid. */
export function parseOverviewWindow(value: string | null): OverviewWindow | undefined {
  if (value === null || value === "") return "15m";
  return Object.hasOwn(OVERVIEW_WINDOWS, value) ? (value as OverviewWindow) : undefined;
}
