import type { OverviewBody, OverviewGroup } from "../server/traffic-metrics.js";
import {
  columns,
  formatCount,
  formatMs,
  formatPercent,
  formatRate,
  formatUsd,
  sparkline,
} from "./layout.js";
import type { TopView, ViewContext } from "./view-types.js";

/** The six number columns and the separators before them. */
const NUMBERS = 7 + 6 + 7 + 9 + 9 + 6 + 6;

interface Row {
  requests: number;
  errors: number;
  requestsPerSec: number;
  tokensPerSec: number;
  costUsd: number;
  costPerHourUsd: number;
}

/**
 * The span the proxy divided its totals by: the window, or less while the proxy is younger
 * (`since` is the first bucket's start; `uptimeMs` from `/status`).
 */
function spanSeconds(body: OverviewBody, uptimeMs: number | undefined): number {
  const span = Date.parse(body.until) - Date.parse(body.since);
  return Math.max(1, Math.min(span, uptimeMs ?? span) / 1000);
}

/** A group's rates over the same span as the totals. */
function groupRow(g: OverviewGroup, seconds: number): Row {
  return {
    requests: g.requests,
    errors: g.errors,
    requestsPerSec: g.requests / seconds,
    tokensPerSec: g.tokens / seconds,
    costUsd: g.costUsd,
    costPerHourUsd: g.costPerHourUsd,
  };
}

function line(name: string, r: Row, nameWidth: number): string {
  return columns([
    [name, nameWidth],
    [formatCount(r.requests), -7],
    [formatRate(r.requestsPerSec), -6],
    [formatRate(r.tokensPerSec), -7],
    [formatUsd(r.costUsd), -9],
    [formatUsd(r.costPerHourUsd), -9],
    [r.requests === 0 ? "-" : formatPercent(r.errors / r.requests), -6],
  ]);
}

function header(title: string, nameWidth: number, c: ViewContext): string {
  return c.style.bold(
    columns([
      [title, nameWidth],
      ["reqs", -7],
      ["req/s", -6],
      ["tok/s", -7],
      ["cost", -9],
      ["cost/h", -9],
      ["err", -6],
    ]),
  );
}

function group(
  title: string,
  groups: OverviewGroup[],
  room: number,
  nameWidth: number,
  c: ViewContext,
) {
  const body = c.overview as OverviewBody;
  const seconds = spanSeconds(body, c.snapshot?.status.uptimeMs);
  const lines = [header(title, nameWidth, c)];
  if (groups.length === 0) lines.push(c.style.dim("  (no requests in the window)"));
  const fits = groups.length <= room ? groups.length : Math.max(0, room - 1);
  for (const g of groups.slice(0, fits)) lines.push(line(g.name, groupRow(g, seconds), nameWidth));
  if (fits < groups.length) lines.push(c.style.dim(`  … ${groups.length - fits} more`));
  return lines;
}

/**
 * View 1: the proxy's `GET /overview` for the window: totals with latency percentiles, a
 * sparkline per rate, then by backend and by model (busiest cost first).
 */
export const overviewView: TopView = {
  key: "1",
  title: "Overview",
  needs: { overview: true },
  render(c) {
    const body = c.overview;
    if (body === undefined) return { lines: [c.style.dim("waiting for the proxy…")] };
    const { totals, series } = body;
    const nameWidth = Math.max(8, c.width - NUMBERS);
    const spark = Math.max(0, c.width - 7);
    const tokens = series.inputTokens.map((n, i) => n + (series.outputTokens[i] ?? 0));
    const lines = [
      `Last ${body.window}: ${totals.requests} requests · p50 ${formatMs(totals.p50Ms)} · p99 ${formatMs(totals.p99Ms)}`,
      header("", nameWidth, c),
      line("total", totals, nameWidth),
      `req/s  ${c.style.green(sparkline(series.requests, spark))}`,
      `tok/s  ${sparkline(tokens, spark)}`,
      `err    ${c.style.red(sparkline(series.errors, spark))}`,
    ];
    // What is left goes to the two tables, the backends first (they are few).
    const room = c.height - lines.length - 4;
    const backendRoom = Math.max(1, Math.min(body.byBackend.length || 1, Math.ceil(room / 2)));
    lines.push("", ...group("BACKEND", body.byBackend, backendRoom, nameWidth, c));
    const modelRoom = Math.max(1, c.height - lines.length - 2);
    lines.push("", ...group("MODEL", body.byModel, modelRoom, nameWidth, c));
    return { lines };
  },
};
