import { type ProxyAddressFlags, resolveProxyAddress } from "../config/address.js";
import type { SwitchyardEnv } from "../config/home.js";
import { requestOnce } from "../undici.js";
import { CliError } from "./action.js";

/** The code of a request failure (undici puts it on `cause`), or undefined. */
export function failureCode(error: unknown): unknown {
  return (
    (error as { cause?: { code?: unknown } } | null)?.cause?.code ??
    (error as { code?: unknown } | null)?.code
  );
}

/** Codes that mean nothing is listening there (as opposed to something answering badly). */
const CONNECTION_FAILURES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** True when `error` says no proxy is listening at the address. */
export function isConnectionFailure(error: unknown): boolean {
  return CONNECTION_FAILURES.has(String(failureCode(error)));
}

/**
 * POSTs to an admin endpoint of the running proxy, presenting the client key as `x-api-key`,
 * with one timeout for headers, body and the whole call. Throws what the request throws.
 */
export async function postAdmin(options: {
  url: string;
  path: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  request?: typeof requestOnce;
}): Promise<{ status: number; text: string }> {
  const { url, path, apiKey, timeoutMs } = options;
  const send = options.request ?? requestOnce;
  const response = await send(`${url}${path}`, {
    method: "POST",
    headers: { accept: "application/json", ...(apiKey ? { "x-api-key": apiKey } : {}) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.statusCode, text: await response.body.text() };
}

/** `proxyAddressArgs` (common-args.ts) as parsed, as the flags `resolveProxyAddress` takes. */
export function addressFlags(args: {
  url?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  config?: string | undefined;
}): ProxyAddressFlags {
  const flags: ProxyAddressFlags = {};
  if (args.url !== undefined) flags.url = args.url;
  if (args.port !== undefined) flags.port = args.port;
  if (args.host !== undefined) flags.host = args.host;
  if (args.config !== undefined) flags.config = args.config;
  return flags;
}

/**
 * Finds the running proxy (flag > env > config > default) and POSTs to `path` with its client
 * key; nothing listening becomes a `not_running` CliError, any other failure `failed`.
 */
export async function postToProxy(options: {
  env: SwitchyardEnv;
  flags?: ProxyAddressFlags | undefined;
  path: string;
  timeoutMs: number;
  request?: typeof requestOnce | undefined;
}): Promise<{ status: number; text: string; url: string; where: string }> {
  const { url, apiKey } = await resolveProxyAddress({ flags: options.flags, env: options.env });
  const where = url.replace(/^https?:\/\//, "");
  try {
    const { status, text } = await postAdmin({
      url,
      path: options.path,
      apiKey,
      timeoutMs: options.timeoutMs,
      request: options.request,
    });
    return { status, text, url, where };
  } catch (error) {
    if (isConnectionFailure(error)) {
      throw new CliError(
        "not_running",
        `no switchyard proxy on ${where} — start one with \`switchyard proxy\``,
        { cause: error },
      );
    }
    throw new CliError("failed", `could not reach the proxy on ${where}`, { cause: error });
  }
}
