import type { PoolSnapshot } from "@switchyard/pool";
import { failureCode, isConnectionFailure } from "../cli/admin-post.js";
import type { StatusBody } from "../cli/status-format.js";
import { describeGetError, type HttpGet, httpGet } from "../doctor/http-get.js";
import type { GuardView } from "../server/guard-routes.js";
import type { RequestLogEntry } from "../server/request-log.js";
import type { OverviewBody, OverviewWindow } from "../server/traffic-metrics.js";
import { sanitizeDeep } from "./sanitize.js";

/** Everything one refresh of `switchyard top` reads from the proxy, sanitised for drawing. */
export interface TopSnapshot {
  /** Local epoch ms the snapshot was taken. */
  at: number;
  status: StatusBody;
  /**
   * The proxy's recent API requests, oldest first (`GET /requests`, admin calls left out);
   * empty when not asked for (the event stream brings them).
   */
  requests: RequestLogEntry[];
  /** Pooled backends' snapshots (`GET /pool`), when asked for. */
  pool?: Record<string, PoolSnapshot>;
  /** The guard in full (`GET /guard`), when asked for. */
  guard?: GuardView;
  /** Rates over a window (`GET /overview`), when asked for. */
  overview?: OverviewBody;
}

/** Which of the heavier endpoints one refresh reads (the views that show them ask). */
export interface TopFetchOptions {
  /** Read `GET /requests` too (default true): on (re)connect, or while the stream is down. */
  requests?: boolean;
  pool?: boolean;
  guard?: boolean;
  /** The window to read `GET /overview` for. */
  overview?: OverviewWindow;
}

/**
 * True for a request a client sent to the API (what the rates count), false for admin calls
 * (the proxy's ring holds refused ones, actions, and with `--verbose` every poll).
 */
export function isApiRequest(entry: RequestLogEntry): boolean {
  return entry.method === "POST" && entry.path.startsWith("/v1/");
}

/** Why a refresh failed, in words for the status line (never holding the key). */
export class TopFetchError extends Error {
  /** True when nothing answered (the proxy is gone or not started). */
  readonly disconnected: boolean;
  constructor(message: string, disconnected: boolean) {
    super(message);
    this.name = "TopFetchError";
    this.disconnected = disconnected;
  }
}

/** Options of {@link createTopClient}. */
export interface TopClientOptions {
  url: string;
  apiKey?: string | undefined;
  timeoutMs?: number;
  /** How many recent requests to ask for (the proxy keeps at most 500). */
  limit?: number;
  httpGet?: HttpGet;
  now?: () => number;
}

/** Reads `/status`, `/requests`, `/pool` and `/guard` of a running proxy in one go. */
export function createTopClient(options: TopClientOptions): {
  fetch(what?: TopFetchOptions): Promise<TopSnapshot>;
} {
  const { url, apiKey, timeoutMs = 4000, limit = 500, now = Date.now } = options;
  const get = options.httpGet ?? httpGet;
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};

  const read = async (path: string): Promise<Record<string, unknown>> => {
    let response: Awaited<ReturnType<HttpGet>>;
    try {
      response = await get(`${url}${path}`, { headers, timeoutMs, json: true });
    } catch (error) {
      const gone = isConnectionFailure(error) || failureCode(error) === "UND_ERR_SOCKET";
      throw new TopFetchError(describeGetError(error, timeoutMs), gone);
    }
    if (response.status === 401 || response.status === 403) {
      throw new TopFetchError(
        `the proxy refused the request (HTTP ${response.status}); set SWITCHYARD_API_KEY to its client key`,
        false,
      );
    }
    const body = response.body;
    if (response.status !== 200 || typeof body !== "object" || body === null) {
      throw new TopFetchError(`${path} answered HTTP ${response.status}`, false);
    }
    return sanitizeDeep(body as Record<string, unknown>);
  };

  return {
    async fetch(what = {}) {
      const [status, requests, pool, guard, overview] = await Promise.all([
        read("/status"),
        what.requests === false ? { requests: [] } : read(`/requests?limit=${limit}`),
        what.pool ? read("/pool") : undefined,
        what.guard ? read("/guard") : undefined,
        what.overview ? read(`/overview?window=${what.overview}`) : undefined,
      ]);
      if (typeof status.version !== "string" || typeof status.requests !== "object") {
        throw new TopFetchError(`the server at ${url} is not a switchyard proxy`, false);
      }
      const list = Array.isArray(requests.requests) ? (requests.requests as RequestLogEntry[]) : [];
      return {
        at: now(),
        status: status as StatusBody,
        requests: list.filter(isApiRequest),
        ...(pool ? { pool: (pool.backends ?? {}) as Record<string, PoolSnapshot> } : {}),
        ...(guard ? { guard: guard as unknown as GuardView } : {}),
        ...(overview ? { overview: overview as unknown as OverviewBody } : {}),
      };
    },
  };
}
