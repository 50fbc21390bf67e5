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
 * The sink half of a {@link HoldingSink}. A class, not an object literal with getter closures:
 * such a literal gets a fresh hidden class per request, and those old-space maps kept every
 * request's closures alive through young-generation GCs.
 */
class Holder implements ResponseSink {
  held: (() => void) | undefined = undefined;
  status = 0;
  headers: Record<string, string> = {};
  readonly #inner: ResponseSink;

  constructor(inner: ResponseSink) {
    this.#inner = inner;
  }

  #complete(s: number, h: Record<string, string> | undefined, send: () => void): void {
    const inner = this.#inner;
    if (this.held !== undefined || inner.started || inner.closed) return;
    this.status = s;
    this.headers = h ?? {};
    this.held = send;
  }

  json(s: number, body: unknown, h?: Record<string, string>): void {
    const inner = this.#inner;
    this.#complete(s, h, () => inner.json(s, body, h));
  }

  bytes(s: number, body: Uint8Array | string, h?: Record<string, string>): void {
    const inner = this.#inner;
    this.#complete(s, h, () => inner.bytes(s, body, h));
  }

  startStream(s: number, h?: Record<string, string>): void {
    if (this.held !== undefined || this.#inner.started) return;
    this.status = s;
    this.headers = h ?? {};
    this.#inner.startStream(s, h);
  }

  write(chunk: Uint8Array | string): Promise<void> {
    return this.#inner.write(chunk);
  }

  end(): void {
    const inner = this.#inner;
    this.held ??= () => inner.end();
  }

  get started(): boolean {
    return this.#inner.started || this.held !== undefined;
  }

  get closed(): boolean {
    return this.#inner.closed;
  }
}

/**
 * Wraps a sink so that streaming chunks pass straight through, but the call that completes the
 * response (`end`, or a whole `json`/`bytes` answer) waits until `release()`. The server uses
 * the gap to commit spend and write the usage record, so a client never sees a completed
 * response whose record is not yet written.
 */
export function createHoldingSink(inner: ResponseSink): HoldingSink {
  const sink = new Holder(inner);
  return {
    sink,
    status: () => sink.status,
    headers: () => sink.headers,
    release() {
      const send = sink.held;
      sink.held = undefined;
      send?.();
    },
  };
}
