import type { AbortSignalLike } from "@switchyard/pool";
import type { TimeoutConfig } from "../../config/types.js";
import { ProxyError } from "../../server/proxy-error.js";
import { Pool } from "../../undici.js";
import {
  BODY_TOO_LARGE,
  MAX_WHOLE_BODY_BYTES,
  type UpstreamBody,
  UpstreamCall,
} from "./upstream-call.js";

/** An upstream response whose body is still to be read. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body, read once: whole (`bytes`/`text`), chunk by chunk (`for await`), or dropped. */
  body: UpstreamBody;
  /** Maps a failure while reading `body` to a clear ProxyError (same rules as the request). */
  mapError(error: unknown): unknown;
}

/** One upstream call. */
export interface UpstreamRequest {
  /** Full URL, built only from config. */
  url: string;
  method?: "GET" | "POST";
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The client's signal: aborting it aborts the upstream request at once. */
  signal: AbortSignalLike;
  /** Per-call override of the first-byte timeout (e.g. a short `/models` probe). */
  firstByteMs?: number;
  totalMs?: number;
}

/** Sends requests to one backend's upstreams over keep-alive pools (one per origin). */
export interface UpstreamClient {
  request(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** Network error codes that mean "could not reach the upstream". */
const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_DESTROYED",
]);

/** Options for {@link createUpstreamClient}. */
export interface UpstreamClientOptions {
  /** The backend name, used in error messages. */
  backend: string;
  timeouts: Required<TimeoutConfig>;
}

/** An Error for undici's abort (a client's reason may be anything). */
function abortReason(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error("aborted");
}

/**
 * Creates the HTTP client of one backend. Each timeout has its own message: connect,
 * first byte (`headersTimeout`), idle gap between body chunks (`bodyTimeout`), and total.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const { backend, timeouts } = options;
  const pools = new Map<string, Pool>();
  // Upstream URLs come from config, so there are few of them: parse each once.
  const urls = new Map<string, { origin: string; path: string }>();
  const parsed = (raw: string) => {
    let url = urls.get(raw);
    if (url === undefined) {
      const u = new URL(raw);
      url = { origin: u.origin, path: u.pathname + u.search };
      if (urls.size < 256) urls.set(raw, url);
    }
    return url;
  };
  const poolFor = (origin: string) => {
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connect: { timeout: timeouts.connectMs },
        keepAliveTimeout: 30_000,
        pipelining: 1,
      });
      pools.set(origin, pool);
    }
    return pool;
  };

  const mapError = (
    error: unknown,
    timedOut: boolean,
    client: AbortSignalLike,
    firstByteMs: number,
    totalMs: number,
  ) => {
    if (ProxyError.isInstance(error)) return error;
    if (timedOut && !client.aborted) {
      return new ProxyError(
        "upstream_total_timeout",
        `upstream ${backend} did not finish within ${seconds(totalMs)}`,
      );
    }
    if (client.aborted) return client.reason ?? error;
    const code = (error as { code?: string })?.code ?? "";
    const cause = { cause: error };
    if (code === "UND_ERR_CONNECT_TIMEOUT") {
      return new ProxyError(
        "upstream_connect_timeout",
        `upstream ${backend} did not accept a connection within ${seconds(timeouts.connectMs)}`,
        cause,
      );
    }
    if (code === "UND_ERR_HEADERS_TIMEOUT") {
      return new ProxyError(
        "upstream_first_byte_timeout",
        `upstream ${backend} did not send a first byte within ${seconds(firstByteMs)}`,
        cause,
      );
    }
    if (code === BODY_TOO_LARGE) {
      return new ProxyError(
        "upstream_bad_response",
        `upstream ${backend} answered with a body over ${MAX_WHOLE_BODY_BYTES / 1024 / 1024} MiB`,
        cause,
      );
    }
    if (code === "UND_ERR_BODY_TIMEOUT") {
      return new ProxyError(
        "upstream_idle_timeout",
        `upstream ${backend} sent nothing for ${seconds(timeouts.idleMs)} in the middle of its response`,
        cause,
      );
    }
    if (unreachableCodes.has(code)) {
      return new ProxyError(
        "upstream_unreachable",
        `upstream ${backend} is unreachable (${code})`,
        cause,
      );
    }
    return new ProxyError(
      "upstream_unreachable",
      `upstream ${backend} failed (${code || "network error"})`,
      cause,
    );
  };

  return {
    request(request) {
      const url = parsed(request.url);
      const firstByteMs = request.firstByteMs ?? timeouts.firstByteMs;
      const totalMs = request.totalMs ?? timeouts.totalMs;
      const client = request.signal;
      let timedOut = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onClientAbort: (() => void) | undefined;
      const map = (error: unknown) => mapError(error, timedOut, client, firstByteMs, totalMs);
      return new Promise<UpstreamResponse>((resolve, reject) => {
        const call = new UpstreamCall(
          (c) => resolve({ status: c.status, headers: c.headers, body: c, mapError: map }),
          (error) => reject(map(error)),
          () => {
            clearTimeout(timer);
            if (onClientAbort !== undefined) client.removeEventListener("abort", onClientAbort);
          },
        );
        if (client.aborted) {
          reject(map(client.reason));
          return;
        }
        onClientAbort = () => call.abort(abortReason(client.reason));
        client.addEventListener("abort", onClientAbort, { once: true });
        timer = setTimeout(() => {
          timedOut = true;
          call.abort(new Error("upstream total timeout"));
        }, totalMs);
        timer.unref();
        poolFor(url.origin).dispatch(
          {
            path: url.path,
            method: request.method ?? "POST",
            headers: request.headers,
            body: request.body ?? null,
            headersTimeout: firstByteMs,
            bodyTimeout: timeouts.idleMs,
          },
          call,
        );
      });
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.destroy().catch(() => {})));
      pools.clear();
    },
  };
}
