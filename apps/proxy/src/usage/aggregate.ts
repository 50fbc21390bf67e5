import { isFailedRecord, type UsageRecord } from "./record.js";

/** Dimensions usage can be grouped by. */
export type UsageGroupBy = "backend" | "model" | "session" | "day";

/** The grouping dimensions, in display order. */
export const USAGE_GROUPS: readonly UsageGroupBy[] = ["backend", "model", "session", "day"];

/** Sums over a set of records. */
export interface UsageTotals {
  requests: number;
  /** Requests answered with status ≥ 400. */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** Requests whose model had no price (cost unknown, counted as 0). */
  unpriced: number;
}

/** One group of {@link aggregateUsage}. */
export interface UsageRow extends UsageTotals {
  key: string;
}

/** Options of {@link aggregateUsage}; `since` inclusive, `until` exclusive. */
export interface AggregateOptions {
  since?: Date | number;
  until?: Date | number;
  by: UsageGroupBy;
}

/** Key used for records without a session. */
export const NO_SESSION = "(none)";

/** All-zero totals. */
export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    unpriced: 0,
  };
}

function add(totals: UsageTotals, r: UsageRecord): void {
  totals.requests++;
  if (isFailedRecord(r)) totals.errors++;
  totals.inputTokens += r.inputTokens;
  totals.outputTokens += r.outputTokens;
  totals.cacheReadTokens += r.cacheReadTokens ?? 0;
  totals.cacheWriteTokens += r.cacheWriteTokens ?? 0;
  if (typeof r.costUsd === "number") totals.costUsd += r.costUsd;
  else totals.unpriced++;
}

function ms(value: Date | number | undefined, fallback: number): number {
  return value === undefined ? fallback : typeof value === "number" ? value : value.getTime();
}

function keyOf(r: UsageRecord, by: UsageGroupBy): string {
  if (by === "day") return r.time.slice(0, 10);
  if (by === "session") return r.session ?? NO_SESSION;
  return r[by];
}

/**
 * Group records in `[since, until)` by backend, model, session or UTC day. Rows come sorted by
 * cost (then requests, then key), except `day`, which is chronological.
 */
export function aggregateUsage(
  records: Iterable<UsageRecord>,
  options: AggregateOptions,
): { rows: UsageRow[]; total: UsageTotals } {
  const since = ms(options.since, Number.NEGATIVE_INFINITY);
  const until = ms(options.until, Number.POSITIVE_INFINITY);
  const groups = new Map<string, UsageRow>();
  const total = emptyTotals();
  for (const r of records) {
    const t = Date.parse(r.time);
    if (!(t >= since && t < until)) continue;
    const key = keyOf(r, options.by);
    let row = groups.get(key);
    if (!row) {
      row = { key, ...emptyTotals() };
      groups.set(key, row);
    }
    add(row, r);
    add(total, r);
  }
  const rows = [...groups.values()];
  if (options.by === "day") rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  else {
    rows.sort(
      (a, b) =>
        b.costUsd - a.costUsd ||
        b.requests - a.requests ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
  }
  return { rows, total };
}

/** Named reporting periods (UTC). */
export type UsagePeriodName = "today" | "week" | "month";

/** `[since, until)` of a named period containing `now`; weeks start Monday 00:00 UTC. */
export function usagePeriod(name: UsagePeriodName, now: number): { since: number; until: number } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  if (name === "today") return { since: Date.UTC(y, m, day), until: Date.UTC(y, m, day + 1) };
  if (name === "month") return { since: Date.UTC(y, m, 1), until: Date.UTC(y, m + 1, 1) };
  const back = (d.getUTCDay() + 6) % 7; // days since Monday
  return { since: Date.UTC(y, m, day - back), until: Date.UTC(y, m, day - back + 7) };
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parse `--since`: a duration back from now (`90m`, `24h`, `7d`, `2w`) or an ISO date/time
 * (`2026-11-01`, `2026-11-01T12:00Z`; a date alone is UTC midnight). Returns ms, or undefined.
 */
export function parseSince(value: string, now: number): number | undefined {
  const v = value.trim();
  const rel = /^(\d+(?:\.\d+)?)([mhdw])$/i.exec(v);
  if (rel?.[1] && rel[2]) return now - Number(rel[1]) * (UNIT_MS[rel[2].toLowerCase()] ?? 0);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}
