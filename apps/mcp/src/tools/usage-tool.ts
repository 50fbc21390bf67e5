import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import {
  asArray,
  asNumber,
  asObject,
  asString,
  compact,
  formatUsd,
  requireObject,
} from "../internal/coerce.js";
import { guarded, okResult, type ToolContext } from "./tool-context.js";

/** A named usage window. */
export type UsagePeriod = "today" | "week" | "month";

/**
 * Start of a named window, in UTC like `switchyard usage`: today since 00:00 UTC, week since
 * Monday 00:00 UTC, month since the 1st 00:00 UTC.
 */
export function periodStart(period: UsagePeriod, now: Date): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const day = now.getUTCDate();
  if (period === "today") return new Date(Date.UTC(y, m, day));
  if (period === "month") return new Date(Date.UTC(y, m, 1));
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(y, m, day - sinceMonday));
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses `since` as `switchyard usage --since` does: a duration back from now (`90m`, `24h`,
 * `7d`, `2w`) or an ISO date/time (a date alone is UTC midnight). `undefined` when neither.
 */
export function parseSince(value: string, now: Date): Date | undefined {
  const v = value.trim();
  const rel = /^(\d+(?:\.\d+)?)([mhdw])$/i.exec(v);
  if (rel?.[1] && rel[2]) {
    return new Date(now.getTime() - Number(rel[1]) * (UNIT_MS[rel[2].toLowerCase()] ?? 0));
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? new Date(t) : undefined;
}

const inputSchema = {
  period: z
    .enum(["today", "week", "month"])
    .default("today")
    .describe(
      "today (since 00:00 UTC), week (since Monday 00:00 UTC) or month (since the 1st, 00:00 UTC); ignored when `since` is set",
    ),
  since: z
    .string()
    // The same reader the handler uses: what passes here is what the window starts at.
    .refine(
      (s) => parseSince(s, new Date()) !== undefined,
      "a duration back from now (90m, 24h, 7d, 2w) or an ISO 8601 date/time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z",
    )
    .optional()
    .describe(
      "Start of the window: a duration back from now (90m, 24h, 7d, 2w) or an ISO 8601 date/time (a date alone is 00:00 UTC); overrides `period`",
    ),
  by: z
    .enum(["backend", "model", "session", "day"])
    .default("backend")
    .describe("Group rows by backend, model, session or UTC day"),
};

const totalsSchema = z.object({
  requests: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  errors: z.number().optional().describe("Requests that failed"),
  cacheReadTokens: z.number().optional(),
  cacheWriteTokens: z.number().optional(),
  unpriced: z.number().optional().describe("Requests with no price configured (not in costUsd)"),
});

const outputSchema = {
  since: z.string().describe("Window start (ISO 8601)"),
  until: z.string().optional().describe("Window end (ISO 8601)"),
  period: z.string().describe("today | week | month | custom"),
  by: z.string(),
  rows: z.array(totalsSchema.extend({ key: z.string().describe("Backend, model or session") })),
  totals: totalsSchema,
};

function totalsOf(value: unknown) {
  const t = asObject(value) ?? {};
  return compact({
    requests: asNumber(t.requests) ?? 0,
    inputTokens: asNumber(t.inputTokens) ?? 0,
    outputTokens: asNumber(t.outputTokens) ?? 0,
    costUsd: asNumber(t.costUsd) ?? 0,
    errors: asNumber(t.errors),
    cacheReadTokens: asNumber(t.cacheReadTokens),
    cacheWriteTokens: asNumber(t.cacheWriteTokens),
    unpriced: asNumber(t.unpriced),
  });
}

/** Registers `usage`: spend and tokens over a period, grouped by backend, model or session. */
export function registerUsageTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "usage",
    {
      title: "switchyard usage",
      description:
        "Spend (USD) and tokens through the switchyard proxy for today, the last week, this month or since a date, grouped by backend, model or session.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ period, since, by }) =>
      guarded(ctx, async () => {
        const now = ctx.now();
        const start = (since && parseSince(since, now)) || periodStart(period, now);
        const query = new URLSearchParams({ since: start.toISOString(), by });
        const body = requireObject(await ctx.admin.get(`/analytics?${query}`), "GET /analytics");
        const rows = asArray(body.rows).flatMap((r) => {
          const key = asString(asObject(r)?.key);
          return key === undefined ? [] : [{ key, ...totalsOf(r) }];
        });
        const totals = body.totals !== undefined ? totalsOf(body.totals) : sum(rows);
        const structured = {
          since: asString(body.since) ?? start.toISOString(),
          ...(asString(body.until) ? { until: asString(body.until) } : {}),
          period: since ? "custom" : period,
          by: asString(body.by) ?? by,
          rows,
          totals,
        };
        // "$0.00" for requests nobody priced would read as "free": say they are unpriced.
        const unpricedCount = (totals as { unpriced?: number }).unpriced ?? 0;
        const unpriced =
          unpricedCount > 0
            ? `; ${unpricedCount === totals.requests ? "all" : unpricedCount} unpriced (no price configured)`
            : "";
        const head = `${formatUsd(totals.costUsd)} over ${totals.requests} requests since ${structured.since} (${totals.inputTokens} input / ${totals.outputTokens} output tokens${unpriced})`;
        const lines = rows.map(
          (r) =>
            `  ${r.key}: ${formatUsd(r.costUsd)}, ${r.requests} req, ${r.inputTokens}/${r.outputTokens} tok`,
        );
        return okResult(
          ctx,
          structured,
          [head, ...(lines.length ? [`by ${by}:`, ...lines] : [])].join("\n"),
        );
      }),
  );
}

function sum(rows: Array<ReturnType<typeof totalsOf>>) {
  return rows.reduce(
    (a, r) => ({
      requests: a.requests + r.requests,
      inputTokens: a.inputTokens + r.inputTokens,
      outputTokens: a.outputTokens + r.outputTokens,
      costUsd: a.costUsd + r.costUsd,
    }),
    { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
  );
}
