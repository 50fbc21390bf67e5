import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import pkg from "../package.json" with { type: "json" };
import { createAdminClient } from "./admin-client.js";
import { createRedactor } from "./redact.js";
import { registerAskModelTool } from "./tools/ask-model-tool.js";
import { registerBackendsTool } from "./tools/backends-tool.js";
import { registerDoctorTool } from "./tools/doctor-tool.js";
import { registerGuardTool } from "./tools/guard-tool.js";
import { registerRecentRequestsTool } from "./tools/recent-requests-tool.js";
import { registerResumeTool } from "./tools/resume-tool.js";
import { registerStatusTool } from "./tools/status-tool.js";
import type { ToolContext } from "./tools/tool-context.js";
import { registerUsageTool } from "./tools/usage-tool.js";

/** This package's version. */
export const VERSION: string = pkg.version;

/** What {@link createSwitchyardMcpServer} takes. */
export interface SwitchyardMcpServerOptions {
  /** The running proxy's base URL. Default `http://127.0.0.1:3456`. */
  baseUrl?: string;
  /** `host:port` used in messages; default derived from `baseUrl`. */
  address?: string;
  /** Sent to the proxy as `x-api-key`; also scrubbed from every result. */
  apiKey?: string;
  /** Expose the acting tools `resume` and `ask_model`. Default false. */
  enableActions?: boolean;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Timeout of admin reads in ms. Default 5000. */
  timeoutMs?: number;
  /** Timeout of `ask_model` in ms. Default 55000 (MCP clients give up at 60 s by default). */
  askTimeoutMs?: number;
  /** Clock used for usage periods. Default `() => new Date()`. */
  now?: () => Date;
  /** More values to scrub from every result (e.g. other keys the host knows). */
  secrets?: string[];
}

/** Names of the read-only tools, always listed. */
export const READ_TOOLS = [
  "status",
  "doctor",
  "backends",
  "recent_requests",
  "usage",
  "guard",
] as const;
/** Names of the acting tools, listed only when actions are enabled. */
export const ACTION_TOOLS = ["resume", "ask_model"] as const;

/**
 * Creates the switchyard MCP server (not yet connected): read-only tools over the proxy's admin
 * API, plus `resume` and `ask_model` when `enableActions` is set. Connect it to a transport.
 *
 * @example
 * const server = createSwitchyardMcpServer({ baseUrl: "http://127.0.0.1:3456" });
 * await server.connect(new StdioServerTransport());
 */
export function createSwitchyardMcpServer(options: SwitchyardMcpServerOptions = {}): McpServer {
  const {
    baseUrl = "http://127.0.0.1:3456",
    apiKey,
    enableActions = false,
    timeoutMs = 5000,
    // Under the 60 s MCP clients wait by default, so our clear timeout reaches the user first.
    askTimeoutMs = 55_000,
    now = () => new Date(),
  } = options;
  const admin = createAdminClient({
    baseUrl,
    ...(options.address ? { address: options.address } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeoutMs,
  });
  const ctx: ToolContext = {
    admin,
    redact: createRedactor({ secrets: [apiKey, ...(options.secrets ?? [])] }),
    now,
    askTimeoutMs,
  };
  const server = new McpServer(
    { name: "switchyard", title: "switchyard LLM router", version: VERSION },
    {
      capabilities: { tools: {} },
      instructions:
        "Tools for the local switchyard LLM router: check whether it is up, see backends and live pool headroom, recent requests and why each was routed where it was, spend, and overage-guard budgets.",
    },
  );
  registerStatusTool(server, ctx);
  registerDoctorTool(server, ctx);
  registerBackendsTool(server, ctx);
  registerRecentRequestsTool(server, ctx);
  registerUsageTool(server, ctx);
  registerGuardTool(server, ctx);
  if (enableActions) {
    registerResumeTool(server, ctx);
    registerAskModelTool(server, ctx);
  }
  return server;
}
