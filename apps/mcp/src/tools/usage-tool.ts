import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import {
  asArray,
  asNumber,
  asObject,
  asString,
  formatUsd,
  requireObject,
} from "../internal/coerce.js";
import { guarded, okResult, type ToolContext } from "./tool-context.js";

/** A named usage window. */
export type UsagePeriod = "today" | "week" | "month";

/** Start of a window in the machine's local time: today since midnight, week = last 7 days, month since the 1st. */
export function periodStart(period: UsagePeriod, now: Date): Date {
  const start = new Date(now);
  if (period === "week") return new Date(now.getTime() - 7 * 24 * 3600 * 1000);
  start.setHours(0, 0, 0, 0);
  if (period === "month") start.setDate(1);
  return start;
}

const inputSchema = {
  period: z
    .enum(["today", "week", "month"])
    .default("today")
    .describe(
      "today (since local midnight), week (last 7 days) or month (since the 1st); ignored when `since` is set",
    ),
  since: z
    .string()
    .refine(
      (s) => !Number.isNaN(Date.parse(s)),
      "an ISO 8601 date or time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z",
    )
    .optional()
    .describe("Start of the window as an ISO 8601 date/time; overrides `period`"),
  by: z
    .enum(["backend", "model", "session"])
    .default("backend")
    .describe("Group rows by backend, model or session"),
};

const totalsSchema = z.object({
  requests: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
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
  return {
    requests: asNumber(t.requests) ?? 0,
    inputTokens: asNumber(t.inputTokens) ?? 0,
    outputTokens: asNumber(t.outputTokens) ?? 0,
    costUsd: asNumber(t.costUsd) ?? 0,
  };
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
        const start = since ? new Date(Date.parse(since)) : periodStart(period, ctx.now());
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
        const head = `${formatUsd(totals.costUsd)} over ${totals.requests} requests since ${structured.since} (${totals.inputTokens} input / ${totals.outputTokens} output tokens)`;
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
