import type { RequestLogEntry } from "../server/request-log.js";
import { columns, formatCount, formatMs, formatUsd } from "./layout.js";
import type { TopView, ViewContext } from "./view-types.js";

/** The client's dialect, from the endpoint it called. */
function dialectOf(path: string): string {
  if (path.startsWith("/v1/messages")) return "anth";
  if (path === "/v1/chat/completions") return "chat";
  if (path.startsWith("/v1/responses")) return "resp";
  return path.replace(/^\/+/, "").slice(0, 4);
}

function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "--:--:--" : d.toTimeString().slice(0, 8);
}

function routeOf(e: RequestLogEntry): string {
  const to =
    e.backend === undefined
      ? "?"
      : e.target && e.target !== e.backend
        ? `${e.backend}/${e.target}`
        : e.backend;
  const model = e.model ?? "-";
  const shown = e.upstreamModel && e.upstreamModel !== e.model ? ` (${e.upstreamModel})` : "";
  const failovers = e.failovers ? ` ↻${e.failovers}` : "";
  const error = e.error ? ` [${e.error}]` : "";
  return `${model}${shown} → ${to}${failovers}${error}`;
}

function tokens(e: RequestLogEntry): string {
  if (e.inputTokens === undefined && e.outputTokens === undefined) return "-";
  return `${formatCount(e.inputTokens ?? 0)}/${formatCount(e.outputTokens ?? 0)}`;
}

function layout(width: number) {
  const wide = width >= 100;
  // time status [dialect] route latency ttfb tokens cost [reason]
  const fixed = 8 + 3 + 6 + 6 + 11 + 7 + (wide ? 4 + 16 : 0);
  const separators = wide ? 8 : 6;
  return { wide, flex: Math.max(10, width - fixed - separators) };
}

function line(cells: string[], width: number): string {
  const { wide, flex } = layout(width);
  const [
    time = "",
    status = "",
    dialect = "",
    route = "",
    lat = "",
    ttfb = "",
    tok = "",
    cost = "",
    reason = "",
  ] = cells;
  return columns([
    [time, 8],
    [status, -3],
    ...(wide ? ([[dialect, 4]] as const) : []),
    [route, flex],
    [lat, -6],
    [ttfb, -6],
    [tok, -11],
    [cost, -7],
    ...(wide ? ([[reason, 16]] as const) : []),
  ]);
}

function entryLine(e: RequestLogEntry, c: ViewContext): string {
  const text = line(
    [
      clock(e.time),
      String(e.status),
      dialectOf(e.path),
      routeOf(e),
      formatMs(e.latencyMs),
      formatMs(e.ttfbMs),
      tokens(e),
      formatUsd(e.costUsd),
      e.route ?? "",
    ],
    c.width,
  );
  if (e.status >= 500 || e.error) return c.style.red(text);
  if (e.status >= 400) return c.style.yellow(text);
  return text;
}

/** View 2: the live requests table, newest first. */
export const requestsView: TopView = {
  key: "2",
  title: "Requests",
  render(c) {
    const head = c.style.bold(
      line(
        [
          "TIME",
          "ST",
          "API",
          "MODEL → BACKEND/TARGET",
          "LAT",
          "TTFB",
          "TOK IN/OUT",
          "COST",
          "ROUTE",
        ],
        c.width,
      ),
    );
    if (c.recent.length === 0) {
      return { lines: [head, c.style.dim("  no requests yet: send one to the proxy")], pinned: 1 };
    }
    // Only the rows down to the bottom of the screen are drawn; the proxy may report 500.
    const shown = c.recent.slice(0, c.scroll + c.height);
    return {
      lines: [head, ...shown.map((e) => entryLine(e, c))],
      pinned: 1,
      total: c.recent.length,
    };
  },
};
