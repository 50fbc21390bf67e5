import { requestOnce } from "../undici.js";

/** The answer of {@link HttpGet}: status and the parsed JSON body, if any. */
export interface HttpGetResult {
  status: number;
  /** The body parsed as JSON, or `undefined` when it is not JSON (or `json: false`). */
  body?: unknown;
}

/** A GET with a timeout; the transport used by `status` and `doctor` (injectable in tests). */
export type HttpGet = (
  url: string,
  options: { headers?: Record<string, string>; timeoutMs: number; json?: boolean },
) => Promise<HttpGetResult>;

/**
 * GET over undici (`requestOnce`), not `fetch`: fetch refuses "bad ports" (e.g. 6000) that a proxy
 * or upstream may legitimately use. Rejects on network errors and on the timeout.
 */
export const httpGet: HttpGet = async (url, options) => {
  const response = await requestOnce(url, {
    method: "GET",
    headers: options.headers ?? {},
    signal: AbortSignal.timeout(options.timeoutMs),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  if (!options.json) {
    await response.body.dump();
    return { status: response.statusCode };
  }
  let body: unknown;
  try {
    body = await response.body.json();
  } catch {
    body = undefined;
  }
  return { status: response.statusCode, body };
};

/** A short reason for a failed GET: `ECONNREFUSED`, `no answer within N ms`, … */
export function describeGetError(error: unknown, timeoutMs: number): string {
  const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.code === "UND_ERR_HEADERS_TIMEOUT") {
    return `no answer within ${timeoutMs} ms`;
  }
  return String(e?.code ?? e?.cause?.code ?? e?.cause?.message ?? e?.name ?? "error");
}
