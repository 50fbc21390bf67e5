import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { formatDuration } from "../internal/coerce.js";
import { SwitchyardMcpError } from "../mcp-error.js";
import { backendSchema, normalizeStatus, routeSchema } from "./status-shape.js";
import { errorResult, okResult, type ToolContext } from "./tool-context.js";

const outputSchema = {
  up: z.boolean().describe("Whether a switchyard proxy answered at the address"),
  address: z.string().describe("host:port the MCP server talks to"),
  version: z.string().optional(),
  uptimeMs: z.number().optional(),
  uptime: z.string().optional().describe("Uptime for people, e.g. `1h 2m`"),
  host: z.string().optional().describe("Address the proxy is bound to"),
  port: z.number().optional(),
  backends: z.array(backendSchema).optional().describe("Configured backends, keys redacted"),
  routes: z.array(routeSchema).optional(),
  defaultBackend: z.string().optional(),
  counts: z
    .object({
      requests: z.number(),
      errors: z.number(),
      inFlight: z.number(),
      byBackend: z.record(z.string(), z.number()),
    })
    .optional()
    .describe("Requests since the proxy started"),
  guard: z.record(z.string(), z.unknown()).optional().describe("Overage guard summary"),
  pool: z.record(z.string(), z.unknown()).optional().describe("Pool summary per backend"),
  sessions: z.record(z.string(), z.unknown()).optional().describe("Session tracker summary"),
  availability: z
    .record(z.string(), z.object({ prefer: z.boolean(), reason: z.string() }))
    .optional()
    .describe(
      "CLI backends (claude-code, codex): whether automatic routing uses them now (their plan's quota), and why",
    ),
  error: z.string().optional().describe("Why the proxy could not be read, when it could not"),
};

/** Registers `status`: is the proxy up, its version, uptime, backends and request counts. */
export function registerStatusTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "status",
    {
      title: "switchyard status",
      description:
        "Whether the local switchyard LLM router is running, its version and uptime, its configured backends (keys redacted) and routes, and request/error counts.",
      inputSchema: {},
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      const address = ctx.admin.address;
      try {
        const s = normalizeStatus(await ctx.admin.get("/status"));
        const structured = {
          up: true,
          address,
          ...s,
          ...(s.uptimeMs !== undefined ? { uptime: formatDuration(s.uptimeMs) } : {}),
        };
        const lines = [
          `switchyard ${s.version ?? "(unknown version)"} is up on ${address}${s.uptimeMs !== undefined ? `, for ${formatDuration(s.uptimeMs)}` : ""}.`,
          `backends: ${s.backends.map((b) => `${b.name} (${b.type}${b.name === s.defaultBackend ? ", default" : ""})`).join(", ") || "none"}`,
        ];
        if (s.counts) {
          lines.push(
            `requests: ${s.counts.requests}, errors: ${s.counts.errors}, in flight: ${s.counts.inFlight}`,
          );
        }
        for (const [name, a] of Object.entries(s.availability ?? {})) {
          lines.push(
            `${name}: ${a.prefer ? "in use" : "avoided"} for automatic routing (${a.reason})`,
          );
        }
        const guardState = typeof s.guard?.state === "string" ? s.guard.state : undefined;
        if (guardState) lines.push(`guard: ${guardState}`);
        return okResult(ctx, structured, lines.join("\n"));
      } catch (error) {
        const code = SwitchyardMcpError.isInstance(error) ? error.code : undefined;
        const up = code !== undefined && code !== "proxy_down" && code !== "timeout";
        const message = error instanceof Error ? error.message : String(error);
        return errorResult(ctx, error, { up, address, error: message });
      }
    },
  );
}
