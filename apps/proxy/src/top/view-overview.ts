import {
  columns,
  formatDuration,
  formatMs,
  formatPercent,
  formatRate,
  formatUsd,
  sparkline,
} from "./layout.js";
import type { OverviewRow, OverviewStats } from "./live-overview.js";
import type { TopView, ViewContext } from "./view-types.js";

/** The six number columns and the separators before them. */
const NUMBERS = 6 + 7 + 9 + 6 + 7 + 7 + 6;

function row(name: string, s: OverviewStats, nameWidth: number): string {
  return columns([
    [name, nameWidth],
    [formatRate(s.requestsPerSec), -6],
    [formatRate(s.tokensPerSec), -7],
    [formatUsd(s.costPerHour), -9],
    [s.requests === 0 ? "-" : formatPercent(s.errorRate), -6],
    [formatMs(s.p50Ms), -7],
    [formatMs(s.p99Ms), -7],
  ]);
}

function header(title: string, nameWidth: number, context: ViewContext): string {
  return context.style.bold(
    columns([
      [title, nameWidth],
      ["req/s", -6],
      ["tok/s", -7],
      ["cost/h", -9],
      ["err", -6],
      ["p50", -7],
      ["p99", -7],
    ]),
  );
}

function group(
  title: string,
  rows: OverviewRow[],
  room: number,
  nameWidth: number,
  c: ViewContext,
) {
  const lines = [header(title, nameWidth, c)];
  if (rows.length === 0) lines.push(c.style.dim("  (no requests in the window)"));
  const fits = rows.length <= room ? rows.length : Math.max(0, room - 1);
  for (const r of rows.slice(0, fits)) lines.push(row(r.key, r, nameWidth));
  if (fits < rows.length) lines.push(c.style.dim(`  … ${rows.length - fits} more`));
  return lines;
}

/** View 1: rates over the window in total, a sparkline per rate, then by backend and by model. */
export const overviewView: TopView = {
  key: "1",
  title: "Overview",
  render(c) {
    const { overview, width, snapshot } = c;
    const { total, series } = overview;
    const nameWidth = Math.max(8, width - NUMBERS);
    const spark = Math.max(0, width - 8);
    const status = snapshot?.status;
    const lines = [
      `Last ${formatDuration(overview.windowMs)}: ${total.requests} requests` +
        (status?.requests?.total === undefined ? "" : ` · ${status.requests.total} since start`) +
        (total.unpriced > 0 ? ` · ${total.unpriced} unpriced` : ""),
      header("", nameWidth, c),
      row("total", total, nameWidth),
      `req/s  ${c.style.green(sparkline(series.requests, spark))}`,
      `tok/s  ${sparkline(series.tokens, spark)}`,
      `err    ${c.style.red(sparkline(series.errors, spark))}`,
    ];
    // What is left goes to the two tables, the backends first (they are few).
    const room = c.height - lines.length - 4;
    const backendRoom = Math.max(1, Math.min(overview.byBackend.length || 1, Math.ceil(room / 2)));
    lines.push("", ...group("BACKEND", overview.byBackend, backendRoom, nameWidth, c));
    const modelRoom = Math.max(1, c.height - lines.length - 2);
    lines.push("", ...group("MODEL", overview.byModel, modelRoom, nameWidth, c));
    return { lines };
  },
};
