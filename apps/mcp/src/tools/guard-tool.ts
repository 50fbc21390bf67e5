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

const budgetSchema = z.object({
  name: z.string(),
  period: z.string().describe("day | month | total"),
  limitUsd: z.number(),
  spentUsd: z.number(),
  reservedUsd: z.number().optional().describe("Spend held for requests still in flight"),
  remainingUsd: z.number().describe("limitUsd − spentUsd, never below 0"),
  percentUsed: z.number(),
  scope: z
    .string()
    .optional()
    .describe("What the budget counts, e.g. `backend=claude`; all traffic when absent"),
});

const outputSchema = {
  enabled: z.boolean(),
  behavior: z.string().describe("halt (refuse requests) or warn"),
  state: z.string().describe("ok | halted"),
  reason: z.string().optional().describe("Why it halted"),
  since: z.string().optional(),
  cooldownUntil: z.string().optional().describe("When it resumes by itself"),
  halts: z
    .array(
      z.object({
        cause: z.string().optional().describe("budget | signal (the upstream billed overage)"),
        reason: z.string(),
        since: z.string().optional(),
        until: z
          .string()
          .optional()
          .describe("When this halt lifts by itself; absent: resume only"),
        scope: z.string().optional(),
      }),
    )
    .optional()
    .describe("Every active halt"),
  budgets: z.array(budgetSchema),
};

function scopeText(scope: unknown): string | undefined {
  if (typeof scope === "string") return scope;
  const o = asObject(scope);
  if (!o) return undefined;
  const parts = Object.entries(o)
    .filter(([, v]) => typeof v === "string" || typeof v === "number")
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(" ") : undefined;
}

function isoOrString(value: unknown): string | undefined {
  return typeof value === "number" ? new Date(value).toISOString() : asString(value);
}

/** Normalises a `GET /guard` body. */
export function normalizeGuard(value: unknown): z.infer<z.ZodObject<typeof outputSchema>> {
  const g = requireObject(value, "GET /guard");
  const budgets = asArray(g.budgets).flatMap((raw, i) => {
    const b = asObject(raw);
    if (!b) return [];
    const limitUsd = asNumber(b.limitUsd) ?? 0;
    const spentUsd = asNumber(b.spentUsd) ?? 0;
    return [
      compact({
        name: asString(b.name) ?? `budget-${i + 1}`,
        period: asString(b.period) ?? "unknown",
        limitUsd,
        spentUsd,
        reservedUsd: asNumber(b.reservedUsd),
        remainingUsd: Math.max(0, limitUsd - spentUsd),
        percentUsed: limitUsd > 0 ? Math.round((spentUsd / limitUsd) * 1000) / 10 : 0,
        scope: scopeText(b.scope),
      }),
    ];
  });
  const halts = Array.isArray(g.halts)
    ? g.halts.flatMap((raw) => {
        const h = asObject(raw);
        const reason = asString(h?.reason);
        if (!h || !reason) return [];
        return [
          compact({
            cause: asString(h.cause),
            reason,
            since: isoOrString(h.since),
            until: isoOrString(h.until),
            scope: scopeText(h.scope),
          }),
        ];
      })
    : undefined;
  return compact({
    enabled: g.enabled !== false,
    behavior: asString(g.behavior) ?? "halt",
    state: asString(g.state) ?? "unknown",
    reason: asString(g.reason),
    since: isoOrString(g.since),
    cooldownUntil: isoOrString(g.cooldownUntil),
    halts,
    budgets,
  });
}

/** Registers `guard`: the overage guard's state and every budget's spend. */
export function registerGuardTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "guard",
    {
      title: "switchyard overage guard",
      description:
        "The overage guard: whether the proxy is halted (and why, and until when) and each budget's limit, spend and what is left.",
      inputSchema: {},
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      guarded(ctx, async () => {
        const g = normalizeGuard(await ctx.admin.get("/guard"));
        const head = !g.enabled
          ? "overage guard disabled"
          : g.state === "halted"
            ? `HALTED${g.reason ? `: ${g.reason}` : ""}${g.cooldownUntil ? ` (resumes by itself at ${g.cooldownUntil})` : ""}`
            : `guard ${g.state} (behavior: ${g.behavior})`;
        const lines = g.budgets.map(
          (b) =>
            `  ${b.name} (${b.period}${b.scope ? `, ${b.scope}` : ""}): ${formatUsd(b.spentUsd)} of ${formatUsd(b.limitUsd)} (${b.percentUsed}%)`,
        );
        return okResult(ctx, g, [head, ...lines].join("\n"));
      }),
  );
}
