import type { GuardEvent } from "@switchyard/overage-guard";
import type { AdminHandler } from "./admin.js";

/** An event on `GET /events`: the guard's `halt`, `warn`, `resume` and `spend` events. */
export type ProxyEvent = GuardEvent;

/** Fan-out of proxy events to `GET /events` clients. */
export interface EventHub {
  publish(event: ProxyEvent): void;
  subscribe(listener: (event: ProxyEvent) => void): () => void;
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
  const closers = new Set<() => void>();
  return {
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
 * `spend`), a `: heartbeat` comment every `heartbeatMs`; the listener and timer go away when
 * the client disconnects or the server shuts down.
 */
export function createEventsHandler(options: EventsHandlerOptions): AdminHandler {
  const { hub, heartbeatMs = 15_000 } = options;
  return ({ sink, signal }) =>
    new Promise<void>((resolve) => {
      sink.startStream(200, { "x-accel-buffering": "no" });
      void sink.write(": switchyard events\n\n");
      const unsubscribe = hub.subscribe((event) => {
        void sink.write(formatSseEvent(event));
      });
      const timer = setInterval(() => void sink.write(": heartbeat\n\n"), heartbeatMs);
      timer.unref?.();
      let untrack = () => {};
      const finish = () => {
        clearInterval(timer);
        unsubscribe();
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
