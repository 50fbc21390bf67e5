import type { GuardEvent } from "@switchyard/overage-guard";
import type { AdminHandler } from "./admin.js";
import type { RequestLogEntry } from "./request-log.js";

/** An event on `GET /events`: the guard's `halt`, `warn`, `resume` and `spend` events. */
export type ProxyEvent = GuardEvent;

/**
 * `event: request` on `GET /events?requests=1`: one finished API call (`POST /v1/...`), its
 * request-log entry as `{"type":"request","request":{...}}`. Frames are sent in batches at most
 * {@link REQUEST_BATCH_MS} apart, at most {@link REQUEST_BATCH_MAX} a batch (the rest of a
 * burst is counted in one `event: dropped` frame, `{"type":"dropped","count":N}`).
 */
export interface RequestEvent {
  type: "request";
  request: RequestLogEntry;
}

/** How long request and `spend` frames are held to be written together. */
export const REQUEST_BATCH_MS = 100;
/** The most request frames one batch carries. */
export const REQUEST_BATCH_MAX = 200;

/** Fan-out of proxy events to `GET /events` clients. */
export interface EventHub {
  publish(event: ProxyEvent): void;
  subscribe(listener: (event: ProxyEvent) => void): () => void;
  /** True when some stream asked for request events (so nothing is serialised otherwise). */
  wantsRequests(): boolean;
  /** Sends one finished request; `line` is the entry's JSON when the caller already has it. */
  publishRequest(entry: RequestLogEntry, line?: string): void;
  /** Receives request frames (`event: request` SSE text, serialised once for all streams). */
  subscribeRequests(listener: (frame: string) => void): () => void;
  /** Registers an open stream's `end`; returns a function that unregisters it. */
  track(end: () => void): () => void;
  /** Ends every open `GET /events` stream (server shutdown). */
  closeAll(): void;
  /** Open `GET /events` streams. */
  size(): number;
}

/** Options of {@link createEventsHandler}. */
export interface EventsHandlerOptions {
  hub: EventHub;
  /** Comment line sent this often so proxies and clients keep the stream open. Default 15 s. */
  heartbeatMs?: number;
}

/** Creates an {@link EventHub}. A throwing listener is dropped, never breaks the others. */
export function createEventHub(): EventHub {
  const listeners = new Set<(event: ProxyEvent) => void>();
  const requestListeners = new Set<(frame: string) => void>();
  const closers = new Set<() => void>();
  return {
    wantsRequests: () => requestListeners.size > 0,
    publishRequest(entry, line = JSON.stringify(entry)) {
      if (requestListeners.size === 0) return;
      const frame = `event: request\ndata: {"type":"request","request":${line}}\n\n`;
      for (const listener of requestListeners) listener(frame);
    },
    subscribeRequests(listener) {
      requestListeners.add(listener);
      return () => {
        requestListeners.delete(listener);
      };
    },
    publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          listeners.delete(listener);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    track(end) {
      closers.add(end);
      return () => {
        closers.delete(end);
      };
    },
    closeAll() {
      for (const close of [...closers]) close();
    },
    size: () => closers.size,
  };
}

/** One SSE frame: `event: <type>\ndata: <json>\n\n`. */
export function formatSseEvent(event: ProxyEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * `GET /events`: a Server-Sent Events stream of guard events (`halt`, `warn`, `resume`,
 * `spend`), with `?requests=1` also every finished API call ({@link RequestEvent}, batched),
 * a `: heartbeat` comment every `heartbeatMs`; the listeners and timers go away when the
 * client disconnects or the server shuts down.
 */
export function createEventsHandler(options: EventsHandlerOptions): AdminHandler {
  const { hub, heartbeatMs = 15_000 } = options;
  return ({ sink, signal, query }) =>
    new Promise<void>((resolve) => {
      sink.startStream(200, { "x-accel-buffering": "no" });
      void sink.write(": switchyard events\n\n");
      // Request frames wait up to REQUEST_BATCH_MS so a busy proxy writes a few times a second.
      let batch: string[] = [];
      let dropped = 0;
      let batchTimer: NodeJS.Timeout | undefined;
      const flush = () => {
        if (batchTimer !== undefined) clearTimeout(batchTimer);
        batchTimer = undefined;
        if (batch.length === 0 && dropped === 0) return;
        const extra =
          dropped === 0 ? "" : `event: dropped\ndata: {"type":"dropped","count":${dropped}}\n\n`;
        void sink.write(batch.join("") + extra);
        batch = [];
        dropped = 0;
      };
      const later = () => {
        batchTimer ??= setTimeout(flush, REQUEST_BATCH_MS);
      };
      const unsubscribe = hub.subscribe((event) => {
        // `spend` comes once per priced request: batched like request frames (one write per
        // batch, not per request). A halt, warning or resume goes out at once.
        if (event.type === "spend") {
          batch.push(formatSseEvent(event));
          later();
          return;
        }
        flush();
        void sink.write(formatSseEvent(event));
      });
      const unsubscribeRequests =
        query.get("requests") === "1"
          ? hub.subscribeRequests((frame) => {
              if (batch.length >= REQUEST_BATCH_MAX) dropped += 1;
              else batch.push(frame);
              later();
            })
          : () => {};
      const timer = setInterval(() => void sink.write(": heartbeat\n\n"), heartbeatMs);
      timer.unref?.();
      let untrack = () => {};
      const finish = () => {
        clearInterval(timer);
        if (batchTimer !== undefined) clearTimeout(batchTimer);
        unsubscribe();
        unsubscribeRequests();
        untrack();
        signal.removeEventListener("abort", finish);
        sink.end();
        resolve();
      };
      untrack = hub.track(finish);
      if (signal.aborted) finish();
      else signal.addEventListener("abort", finish, { once: true });
    });
}
