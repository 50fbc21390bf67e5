import { requestOnce } from "../undici.js";

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
