import type { ResponseSink } from "../backends/types.js";

/** A {@link ResponseSink} that holds back the response's last step until {@link HoldingSink.release}. */
export interface HoldingSink {
  sink: ResponseSink;
  /** The status the backend answered with (0 before any head). */
  status(): number;
  /** The headers the backend sent to the client (what the upstream let through). */
  headers(): Record<string, string>;
  /** Performs the held `end()`/`json()`/`bytes()`, if any. */
  release(): void;
}

/**
 * Wraps a sink so that streaming chunks pass straight through, but the call that completes the
 * response (`end`, or a whole `json`/`bytes` answer) waits until `release()`. The server uses
 * the gap to commit spend and write the usage record, so a client never sees a completed
 * response whose record is not yet written.
 */
export function createHoldingSink(inner: ResponseSink): HoldingSink {
  let held: (() => void) | undefined;
  let status = 0;
  let headers: Record<string, string> = {};
  const complete = (s: number, h: Record<string, string> | undefined, send: () => void) => {
    if (held !== undefined || inner.started || inner.closed) return;
    status = s;
    headers = h ?? {};
    held = send;
  };
  const sink: ResponseSink = {
    json(s, body, h) {
      complete(s, h, () => inner.json(s, body, h));
    },
    bytes(s, body, h) {
      complete(s, h, () => inner.bytes(s, body, h));
    },
    startStream(s, h) {
      if (held !== undefined || inner.started) return;
      status = s;
      headers = h ?? {};
      inner.startStream(s, h);
    },
    write: (chunk) => inner.write(chunk),
    end() {
      held ??= () => inner.end();
    },
    get started() {
      return inner.started || held !== undefined;
    },
    get closed() {
      return inner.closed;
    },
  };
  return {
    sink,
    status: () => status,
    headers: () => headers,
    release() {
      const send = held;
      held = undefined;
      send?.();
    },
  };
}
