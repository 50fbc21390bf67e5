import {
  aggregateUsage,
  USAGE_GROUPS,
  type UsageGroupBy,
  type UsagePeriodName,
  type UsageRow,
  type UsageTotals,
  usagePeriod,
} from "./aggregate.js";
import type { UsageRecord } from "./record.js";

/** Everything `switchyard usage` shows; also its `--json` output. */
export interface UsageReport {
  generatedAt: string;
  periods: Record<UsagePeriodName, UsageTotals & { since: string; until: string }>;
  window: { label: string; since: string; until: string };
  groups: Partial<Record<UsageGroupBy, UsageRow[]>>;
  records: number;
  skippedLines: number;
}

/** Options of {@link buildUsageReport}. */
export interface UsageReportOptions {
  now: number;
  /** Start of the grouped window (ms); default: start of this month (UTC). */
  since?: number;
  /** Only this grouping; default backend, model and session. */
  by?: UsageGroupBy;
  skippedLines?: number;
}

const PERIOD_LABEL: Record<UsagePeriodName, string> = {
  today: "today",
  week: "this week",
  month: "this month",
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** Compute the periods summary and the grouped window from usage records. */
export function buildUsageReport(
  records: readonly UsageRecord[],
  options: UsageReportOptions,
): UsageReport {
  const { now } = options;
  const periods = {} as UsageReport["periods"];
  for (const name of ["today", "week", "month"] as const) {
    const p = usagePeriod(name, now);
    periods[name] = {
      since: iso(p.since),
      until: iso(p.until),
      ...aggregateUsage(records, { ...p, by: "backend" }).total,
    };
  }
  const since = options.since ?? usagePeriod("month", now).since;
  const label =
    options.since === undefined
      ? "this month"
      : `since ${iso(since).slice(0, 16).replace("T", " ")}`;
  const dims: readonly UsageGroupBy[] = options.by
    ? [options.by]
    : USAGE_GROUPS.filter((g) => g !== "day");
  const groups: UsageReport["groups"] = {};
  for (const by of dims) groups[by] = aggregateUsage(records, { since, until: now + 1, by }).rows;
  return {
    generatedAt: iso(now),
    periods,
    window: { label, since: iso(since), until: iso(now) },
    groups,
    records: records.length,
    skippedLines: options.skippedLines ?? 0,
  };
}

/** 950 → "950", 12_345 → "12.3k", 1_234_567 → "1.23M". */
export function compactNumber(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  return `${(n / 1_000_000_000).toFixed(2)}B`;
}

/** "$0.1234 "; a trailing "+" instead of the space marks totals that exclude unpriced requests. */
export function formatUsd(n: number, unpriced = 0): string {
  return `$${n.toFixed(4)}${unpriced > 0 ? "+" : " "}`;
}

/** A horizontal bar of `width` cells for `value` of `max`. */
export function bar(value: number, max: number, width = 24): string {
  if (max <= 0 || value <= 0) return "";
  return "█".repeat(Math.max(1, Math.round((value / max) * width)));
}

function table(header: string[], rows: string[][], rightFrom: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        if (i === cells.length - 1 && i >= rightFrom && header[i] === "") return c;
        return i >= rightFrom ? c.padStart(w) : c.padEnd(w);
      })
      .join("  ")
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

const MAX_ROWS = 10;

function groupLines(by: UsageGroupBy, rows: UsageRow[], label: string): string[] {
  const lines = [`by ${by} · ${label}`];
  if (rows.length === 0) return [...lines, "  (no requests)"];
  const shown = by === "day" ? rows : rows.slice(0, MAX_ROWS);
  const useCost = rows.some((r) => r.costUsd > 0);
  const max = Math.max(...rows.map((r) => (useCost ? r.costUsd : r.requests)));
  const body = shown.map((r) => [
    r.key,
    String(r.requests),
    compactNumber(r.inputTokens),
    compactNumber(r.outputTokens),
    formatUsd(r.costUsd, r.unpriced),
    bar(useCost ? r.costUsd : r.requests, max),
  ]);
  lines.push(
    ...table([by, "requests", "input", "output", "cost", ""], body, 1).map((l) => `  ${l}`),
  );
  if (rows.length > shown.length) lines.push(`  … ${rows.length - shown.length} more`);
  return lines;
}

/** The text `switchyard usage` prints: a periods table, then one table with bars per grouping. */
export function renderUsageReport(report: UsageReport): string {
  const stamp = report.generatedAt.slice(0, 16).replace("T", " ");
  const lines = [`switchyard usage · ${stamp} UTC · ${report.records} requests logged`, ""];
  const periodRows = (["today", "week", "month"] as const).map((name) => {
    const p = report.periods[name];
    return [
      PERIOD_LABEL[name],
      String(p.requests),
      String(p.errors),
      compactNumber(p.inputTokens),
      compactNumber(p.outputTokens),
      `${compactNumber(p.cacheReadTokens)}/${compactNumber(p.cacheWriteTokens)}`,
      formatUsd(p.costUsd, p.unpriced),
    ];
  });
  lines.push(
    ...table(
      ["period", "requests", "errors", "input", "output", "cache r/w", "cost"],
      periodRows,
      1,
    ),
  );
  for (const by of USAGE_GROUPS) {
    const rows = report.groups[by];
    if (rows) lines.push("", ...groupLines(by, rows, report.window.label));
  }
  const notes: string[] = [];
  if (Object.values(report.periods).some((p) => p.unpriced > 0)) {
    notes.push("+ some requests had no known price and are counted as $0");
  }
  if (report.skippedLines > 0) notes.push(`${report.skippedLines} unreadable log line(s) skipped`);
  if (notes.length > 0) lines.push("", ...notes);
  return `${lines.join("\n")}\n`;
}
