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

const requestSchema = z.object({
  time: z.string().describe("When the request arrived (ISO 8601)"),
  method: z.string(),
  path: z.string().describe("Proxy endpoint, e.g. /v1/messages"),
  model: z.string().optional().describe("Model name the client asked for"),
  upstreamModel: z.string().optional().describe("Model sent upstream, when rewritten"),
  backend: z.string().optional().describe("Backend that served it (absent when routing failed)"),
  target: z.string().optional().describe("Pool target that served it"),
  status: z.number().describe("HTTP status returned to the client"),
  latencyMs: z.number(),
  ttfbMs: z.number().optional().describe("Time to the first response byte"),
  stream: z.boolean().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  cacheReadTokens: z.number().optional(),
  cacheWriteTokens: z.number().optional(),
  costUsd: z.number().optional(),
  failovers: z.number().optional().describe("Targets tried before the one that answered"),
  error: z.string().optional().describe("The proxy's error code when the request failed"),
  route: z
    .string()
    .describe(
      'How the backend was chosen: "prefix", "route:<glob>" (plus " fallback (…)" when it fell back) or "default"; "none" when routing failed, "admin" for admin calls',
    ),
  routeReason: z.string().describe("The routing decision in words"),
});

const inputSchema = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(200)
    .default(20)
    .describe("How many of the most recent requests to return (1–200, default 20)"),
  includeAdmin: z
    .boolean()
    .default(false)
    .describe(
      "Also list admin and health calls (`/status`, `/requests`, … — including this server's own); default false: model requests only",
    ),
};

/** How many log entries to read when admin calls are filtered out (the proxy keeps up to 500). */
const FILTER_WINDOW = 500;

/** A request for a model (`/v1/...`), as opposed to an admin or health call. */
function isModelRequest(r: { path: string; backend?: string }): boolean {
  return r.backend !== undefined || r.path.startsWith("/v1/");
}

const outputSchema = {
  requests: z.array(requestSchema).describe("Newest first"),
  count: z.number(),
};

/** Explains a `route` value from `GET /requests` in words. */
export function explainRoute(
  route: string,
  backend: string | undefined,
  model: string | undefined,
): string {
  const m = model ? `"${model}"` : "the model";
  const b = backend ?? "(unknown backend)";
  if (route === "prefix")
    return `the model name ${m} named backend "${b}" explicitly (backend:model)`;
  const fallback = /^route:(.*) fallback \((.*)\)$/.exec(route);
  if (fallback) {
    return `${m} matched route "${fallback[1]}", but ${fallback[2]}, so it fell back to ${b}`;
  }
  if (route.startsWith("route:"))
    return `${m} matched route "${route.slice("route:".length)}" → ${b}`;
  if (route === "default") return `no route matched ${m}, so it went to the default backend ${b}`;
  if (route === "none") return "not routed (the request failed before a backend was chosen)";
  if (route === "admin") return "not a model request (admin or health endpoint)";
  return `routed to ${b} (${route})`;
}

function normalizeRequest(value: unknown): z.infer<typeof requestSchema> | undefined {
  const r = asObject(value);
  if (!r) return undefined;
  const backend = asString(r.backend);
  const model = asString(r.model);
  const path = asString(r.path) ?? "";
  const route =
    asString(r.route) ?? (backend ? "unknown" : path.startsWith("/v1/") ? "none" : "admin");
  const time = typeof r.time === "number" ? new Date(r.time).toISOString() : asString(r.time);
  return compact({
    time: time ?? "",
    method: asString(r.method) ?? "",
    path,
    model,
    upstreamModel: asString(r.upstreamModel),
    backend,
    target: asString(r.target),
    status: asNumber(r.status) ?? 0,
    latencyMs: asNumber(r.latencyMs) ?? 0,
    ttfbMs: asNumber(r.ttfbMs),
    stream: typeof r.stream === "boolean" ? r.stream : undefined,
    inputTokens: asNumber(r.inputTokens),
    outputTokens: asNumber(r.outputTokens),
    cacheReadTokens: asNumber(r.cacheReadTokens),
    cacheWriteTokens: asNumber(r.cacheWriteTokens),
    costUsd: asNumber(r.costUsd),
    failovers: asNumber(r.failovers),
    error: asString(r.error),
    route,
    routeReason: explainRoute(route, backend, model),
  });
}

function line(r: z.infer<typeof requestSchema>): string {
  const tokens =
    r.inputTokens !== undefined || r.outputTokens !== undefined
      ? ` ${r.inputTokens ?? "?"}→${r.outputTokens ?? "?"} tok`
      : "";
  const cost = r.costUsd !== undefined ? ` ${formatUsd(r.costUsd)}` : "";
  const backend = r.backend ?? "-";
  const where = r.target ? `${backend}/${r.target}` : backend;
  const error = r.error ? ` (${r.error})` : "";
  return `${r.time} ${r.method} ${r.path} ${r.model ?? "-"} → ${where} ${r.status}${error} ${r.latencyMs}ms${tokens}${cost} — ${r.routeReason}`;
}

/** Registers `recent_requests`: the last requests with backend, target, tokens, cost and routing reason. */
export function registerRecentRequestsTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "recent_requests",
    {
      title: "switchyard recent requests",
      description:
        "The most recent requests through the switchyard proxy: model, backend and target, status, latency, tokens, cost, and why that backend was chosen.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ limit, includeAdmin }) =>
      guarded(ctx, async () => {
        // The log also holds admin calls (this server's own among them): read a wider window
        // and keep the model requests.
        const window = includeAdmin ? limit : FILTER_WINDOW;
        const body = requireObject(
          await ctx.admin.get(`/requests?limit=${window}`),
          "GET /requests",
        );
        // Newest first, whichever order the proxy keeps its log in (a stable sort on ISO times).
        const logged = asArray(body.requests).flatMap((r) => normalizeRequest(r) ?? []);
        const requests = logged
          .filter((r) => includeAdmin || isModelRequest(r))
          .sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0))
          .slice(0, limit);
        // An empty answer from a busy log means "none among the last N entries", not "none".
        const none =
          logged.length === 0
            ? "no requests recorded yet"
            : `no model requests among the proxy's last ${logged.length} logged requests (the rest were admin calls such as /health or /status; includeAdmin shows them; the usage tool covers older ones)`;
        const text = requests.length ? requests.map(line).join("\n") : none;
        return okResult(ctx, { requests, count: requests.length }, text);
      }),
  );
}
