import { defineCommand } from "citty";
import { resolveProxyAddress } from "../config/address.js";
import { describeGetError, type HttpGet, type HttpGetResult, httpGet } from "../doctor/http-get.js";
import { action, CliError } from "./action.js";
import { jsonArg, proxyAddressArgs } from "./common-args.js";
import { formatStatus, type StatusBody } from "./status-format.js";

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
  const body = response.body as Record<string, unknown> | null;
  // Another program on the port may well answer JSON: insist on switchyard's own fields.
  if (
    typeof body !== "object" ||
    body === null ||
    typeof body.version !== "string" ||
    typeof body.requests !== "object" ||
    typeof body.backends !== "object"
  ) {
    throw new CliError(
      "not_running",
      `the server at ${url} is not a switchyard proxy (its /status is not switchyard's); check --port/--url`,
    );
  }
  return body as unknown as StatusBody;
}

/** `switchyard status`. */
export const statusCommand = defineCommand({
  meta: { name: "status", description: "Show what a running proxy is doing" },
  args: {
    ...proxyAddressArgs,
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
