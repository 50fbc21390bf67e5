import type { GuardEvent } from "@switchyard/overage-guard";
import type { AdminHandler } from "./admin.js";
import { type RequestLogEntry, serializeFlat } from "./request-log.js";

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

/** An open `GET /events` stream as the hub writes to it. */
export interface EventStream {
  /** Writes SSE text (one or more whole frames). */
  write(text: string): void;
  /** True for `?requests=1`: request frames too, not only guard events. */
  requests: boolean;
  /**
   * False for `?spend=0`: no `spend` frames (a request frame already carries its cost; the
   * dashboard and `top` ask for none). Default true.
   */
  spend?: boolean;
}

/** Fan-out of proxy events to `GET /events` clients. */
export interface EventHub {
  publish(event: ProxyEvent): void;
  subscribe(listener: (event: ProxyEvent) => void): () => void;
  /** True when someone takes `spend` events (a stream or a listener): else none need be built. */
  wantsSpend(): boolean;
  /** True when some stream asked for request events (so nothing is serialised otherwise). */
  wantsRequests(): boolean;
  /** Sends one finished request; `line` is the entry's JSON when the caller already has it. */
  publishRequest(entry: RequestLogEntry, line?: string): void;
  /**
   * Attaches an open stream: it gets every `spend` and request frame in the shared batches
   * (serialised once for all streams), and halts, warnings and resumes at once.
   */
  attach(stream: EventStream): () => void;
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

/** A request frame around the entry's JSON line. */
const requestFrame = (line: string) =>
  `event: request\ndata: {"type":"request","request":${line}}\n\n`;

/**
 * Creates an {@link EventHub}. A throwing listener is dropped, never breaks the others.
 *
 * What a finished request costs while a stream is open is one array push (of the request-log
 * line the proxy already has, and of the `spend` event): the frames are built once per batch,
 * at most every {@link REQUEST_BATCH_MS}, and the same text goes to every stream. A request
 * beyond {@link REQUEST_BATCH_MAX} in a batch is only counted.
 */
export function createEventHub(): EventHub {
  const listeners = new Set<(event: ProxyEvent) => void>();
  const streams = new Set<EventStream>();
  const closers = new Set<() => void>();
  let requestStreams = 0;
  let spendStreams = 0;
  // The open batch: request lines (strings) and spend events, in order.
  let batch: Array<string | ProxyEvent> = [];
  let requests = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0 && dropped === 0) return;
    const items = batch;
    const lost = dropped;
    batch = [];
    requests = 0;
    dropped = 0;
    // Each spend frame is serialised once; each kind of stream open (with or without
    // requests, with or without spend) gets its text built once.
    const spendFrames = new Map<ProxyEvent, string>();
    const texts = new Map<number, string>();
    const textFor = (requests: boolean, spend: boolean) => {
      const kind = (requests ? 1 : 0) | (spend ? 2 : 0);
      let text = texts.get(kind);
      if (text !== undefined) return text;
      text = "";
      for (const item of items) {
        if (typeof item === "string") {
          if (requests) text += requestFrame(item);
        } else if (spend) {
          let frame = spendFrames.get(item);
          if (frame === undefined) {
            frame = formatSseEvent(item);
            spendFrames.set(item, frame);
          }
          text += frame;
        }
      }
      if (requests && lost > 0) {
        text += `event: dropped\ndata: {"type":"dropped","count":${lost}}\n\n`;
      }
      texts.set(kind, text);
      return text;
    };
    for (const stream of streams) {
      const text = textFor(stream.requests, stream.spend !== false);
      if (text !== "") stream.write(text);
    }
  };
  const later = () => {
    timer ??= setTimeout(flush, REQUEST_BATCH_MS);
  };

  return {
    wantsSpend: () => spendStreams > 0 || listeners.size > 0,
    wantsRequests: () => requestStreams > 0,
    publishRequest(entry, line) {
      if (requestStreams === 0) return;
      if (requests >= REQUEST_BATCH_MAX) {
        dropped += 1;
      } else {
        requests += 1;
        batch.push(line ?? JSON.stringify(entry));
      }
      later();
    },
    attach(stream) {
      streams.add(stream);
      if (stream.requests) requestStreams += 1;
      if (stream.spend !== false) spendStreams += 1;
      return () => {
        if (!streams.delete(stream)) return;
        if (stream.requests) requestStreams -= 1;
        if (stream.spend !== false) spendStreams -= 1;
        if (streams.size === 0) {
          // Nobody is left to read what is pending.
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
          batch = [];
          requests = 0;
          dropped = 0;
        }
      };
    },
    publish(event) {
      if (streams.size > 0) {
        // `spend` comes once per priced request: batched like request frames (one write per
        // batch, not per request). A halt, warning or resume goes out at once, after what
        // is pending.
        if (event.type === "spend") {
          if (spendStreams > 0) {
            batch.push(event);
            later();
          }
        } else {
          flush();
          const frame = formatSseEvent(event);
          for (const stream of streams) stream.write(frame);
        }
      }
      if (listeners.size === 0) return;
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

/** One SSE frame: `event: <type>\ndata: <json>\n\n` (the JSON as `JSON.stringify` writes it). */
export function formatSseEvent(event: ProxyEvent): string {
  return `event: ${event.type}\ndata: ${serializeFlat(event)}\n\n`;
}

/**
 * `GET /events`: a Server-Sent Events stream of guard events (`halt`, `warn`, `resume`,
 * `spend`; `?spend=0` leaves out `spend`), with `?requests=1` also every finished API call
 * ({@link RequestEvent}, batched),
 * a `: heartbeat` comment every `heartbeatMs`; the listeners and timers go away when the
 * client disconnects or the server shuts down.
 */
export function createEventsHandler(options: EventsHandlerOptions): AdminHandler {
  const { hub, heartbeatMs = 15_000 } = options;
  return ({ sink, signal, query }) =>
    new Promise<void>((resolve) => {
      sink.startStream(200, { "x-accel-buffering": "no" });
      void sink.write(": switchyard events\n\n");
      const detach = hub.attach({
        requests: query.get("requests") === "1",
        spend: query.get("spend") !== "0",
        write: (text) => void sink.write(text),
      });
      const timer = setInterval(() => void sink.write(": heartbeat\n\n"), heartbeatMs);
      timer.unref?.();
      let untrack = () => {};
      const finish = () => {
        clearInterval(timer);
        detach();
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
