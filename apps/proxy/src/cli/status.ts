import { defineCommand } from "citty";
import { resolveProxyAddress } from "../config/address.js";
import { describeGetError, type HttpGet, type HttpGetResult, httpGet } from "../doctor/http-get.js";
import { action, CliError } from "./action.js";
import { configArg, formatTable, jsonArg } from "./common-args.js";

/** The parts of `GET /status` this command renders; other fields are shown generically. */
interface StatusBody {
  version?: string;
  uptimeMs?: number;
  url?: string;
  backends?: Record<
    string,
    { type?: string; baseUrl?: string; hasKey?: boolean; targets?: unknown[] }
  >;
  routes?: { match: string; backend: string; model?: string }[];
  defaultBackend?: string | null;
  requests?: { total?: number; byBackend?: Record<string, Record<string, number>> };
  inFlight?: number;
  [key: string]: unknown;
}

/** Fetch a running proxy's `/status`; a `CliError` (`not_running`) when nothing answers. */
export async function fetchStatus(options: {
  url: string;
  apiKey?: string;
  timeoutMs?: number;
  /** GET transport; default undici (fetch refuses some ports). */
  httpGet?: HttpGet;
}): Promise<StatusBody> {
  const { url, apiKey, timeoutMs = 3000, httpGet: get = httpGet } = options;
  let response: HttpGetResult;
  try {
    response = await get(`${url}/status`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      timeoutMs,
      json: true,
    });
  } catch (error) {
    throw new CliError(
      "not_running",
      `no switchyard proxy is running at ${url} (${describeGetError(error, timeoutMs)}); start one with \`switchyard proxy\``,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new CliError(
      "failed",
      `the proxy at ${url} refused the request (HTTP ${response.status}); set SWITCHYARD_API_KEY to its client key`,
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new CliError("failed", `the proxy at ${url} answered HTTP ${response.status} to /status`);
  }
  if (typeof response.body !== "object" || response.body === null) {
    throw new CliError("failed", `${url}/status did not answer JSON; is it a switchyard proxy?`);
  }
  return response.body as StatusBody;
}

/** Render a `/status` body as a short human summary. */
export function formatStatus(status: StatusBody, url: string): string {
  const lines = [
    `switchyard ${status.version ?? "?"} at ${status.url ?? url}, up ${formatDuration(status.uptimeMs ?? 0)}`,
  ];
  const counts = status.requests?.byBackend ?? {};
  const rows = Object.entries(status.backends ?? {}).map(([name, b]) => {
    const byStatus = counts[name] ?? {};
    const total = Object.values(byStatus).reduce((a, n) => a + n, 0);
    const errors = Object.entries(byStatus)
      .filter(([code]) => Number(code) >= 400)
      .reduce((a, [, n]) => a + n, 0);
    const where = b.baseUrl ?? (Array.isArray(b.targets) ? `${b.targets.length} targets` : "-");
    const key = b.type === "echo" || b.type === "claude-code" ? "-" : b.hasKey ? "yes" : "no";
    return [name, b.type ?? "?", where, key, String(total), String(errors)];
  });
  if (rows.length > 0) {
    lines.push(
      "",
      formatTable([["BACKEND", "TYPE", "URL", "KEY", "REQUESTS", "ERRORS"], ...rows], "  "),
    );
  }
  const routes = (status.routes ?? []).map((r) => `${r.match} → ${r.backend}`).join(", ");
  lines.push(
    "",
    `  routes:    ${routes || "none"}`,
    `  default:   ${status.defaultBackend ?? "none"}`,
    `  requests:  ${status.requests?.total ?? 0} total, ${status.inFlight ?? 0} in flight`,
  );
  const known = new Set([
    "version",
    "uptimeMs",
    "url",
    "backends",
    "routes",
    "defaultBackend",
    "requests",
    "inFlight",
  ]);
  for (const [key, value] of Object.entries(status)) {
    if (known.has(key) || value === undefined) continue;
    lines.push(
      `  ${`${key}:`.padEnd(10)} ${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    );
  }
  return lines.join("\n");
}

function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** `switchyard status`. */
export const statusCommand = defineCommand({
  meta: { name: "status", description: "Show what a running proxy is doing" },
  args: {
    url: {
      type: "string",
      description: "Proxy URL (default: from port/host config)",
      valueHint: "url",
    },
    port: { type: "string", description: "Proxy port", valueHint: "port" },
    host: { type: "string", description: "Proxy host", valueHint: "host" },
    ...configArg,
    ...jsonArg,
  },
  run: action(async ({ args }) => {
    const address = await resolveProxyAddress({
      flags: { url: args.url, port: args.port, host: args.host, config: args.config },
      env: process.env,
    });
    const status = await fetchStatus(address);
    process.stdout.write(
      args.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status, address.url)}\n`,
    );
  }),
});
