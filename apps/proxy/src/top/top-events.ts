import { type ClientRequest, request } from "node:http";
import { request as httpsRequest } from "node:https";
import { createParser } from "eventsource-parser";
import type { RequestLogEntry } from "../server/request-log.js";
import { sanitizeDeep } from "./sanitize.js";

/** What the stream of `GET /events?requests=1` tells `switchyard top`. */
export interface TopEventsHandlers {
  /** One finished API call (sanitised for drawing). */
  onRequest(entry: RequestLogEntry): void;
  /** The guard changed (`halt`, `warn`, `resume`): its snapshot is worth reading now. */
  onGuard(type: string): void;
  /** `dropped`: the proxy left out `count` request events of a burst (the poll fills in). */
  onDropped?(count: number): void;
  /** The stream is up (`true`, after each (re)connect) or down (`false`, with why). */
  onConnection(up: boolean, reason?: string): void;
}

/** Options of {@link openTopEvents}. */
export interface TopEventsOptions extends TopEventsHandlers {
  url: string;
  apiKey?: string | undefined;
  /** First retry delay after the stream drops; doubles per failure up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * A stream silent this long is taken for dead and reopened (the proxy writes a heartbeat
   * every 15 s). Default 40 s.
   */
  idleMs?: number;
}

const GUARD_EVENTS = new Set(["halt", "warn", "resume"]);

/**
 * Keeps `GET /events?requests=1` open for `switchyard top`: request events as they happen
 * (no polling of `/requests`), guard events so the guard view refreshes at once. When the
 * proxy goes away or restarts, reconnects with exponential backoff (250 ms doubling to 5 s,
 * reset by a good connection). `close()` ends it for good.
 */
export function openTopEvents(options: TopEventsOptions): { close(): void } {
  const { minDelayMs = 250, maxDelayMs = 5000, idleMs = 40_000 } = options;
  // `spend=0`: top reads no spend frames (one per priced request), so none are sent.
  const target = new URL("/events?requests=1&spend=0", options.url);
  const get = target.protocol === "https:" ? httpsRequest : request;
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let closed = false;
  let failures = 0;
  let current: ClientRequest | undefined;
  let retry: NodeJS.Timeout | undefined;
  let up = false;

  const parser = createParser({
    onEvent(message) {
      if (message.event === "request") {
        const body = JSON.parse(message.data) as { request?: RequestLogEntry };
        if (body.request !== undefined && typeof body.request.id === "string") {
          options.onRequest(sanitizeDeep(body.request));
        }
      } else if (message.event === "dropped") {
        const body = JSON.parse(message.data) as { count?: number };
        options.onDropped?.(typeof body.count === "number" ? body.count : 0);
      } else if (message.event !== undefined && GUARD_EVENTS.has(message.event)) {
        options.onGuard(message.event);
      }
    },
  });

  const down = (reason: string) => {
    if (current === undefined) return;
    current = undefined;
    if (up) options.onConnection(false, reason);
    up = false;
    if (closed) return;
    failures += 1;
    const wait = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(failures - 1, 10));
    retry = setTimeout(connect, wait);
  };

  function connect() {
    retry = undefined;
    if (closed) return;
    parser.reset();
    const req = get(target, { headers });
    current = req;
    req.setTimeout(idleMs, () => req.destroy(new Error(`no event for ${idleMs / 1000} s`)));
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        req.destroy(new Error(`/events answered HTTP ${res.statusCode}`));
        return;
      }
      failures = 0;
      up = true;
      options.onConnection(true);
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        try {
          parser.feed(chunk);
        } catch (error) {
          req.destroy(error as Error);
        }
      });
      res.on("end", () => down("the proxy ended the event stream"));
      res.on("error", (error) => down(error.message));
    });
    req.on("error", (error) => down(error.message));
    req.on("close", () => down("the event stream closed"));
    req.end();
  }

  connect();
  return {
    close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      const req = current;
      current = undefined;
      req?.destroy();
    },
  };
}
