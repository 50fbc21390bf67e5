import type { ResponseSink } from "../backends/types.js";

/**
 * A {@link ResponseSink} that passes streaming chunks straight through but holds back the call
 * that completes the response (`end`, or a whole `json`/`bytes` answer) until
 * {@link HoldingSink.release}. The server uses the gap to commit spend and write the usage
 * record, so a client never sees a completed response whose record is not yet written.
 *
 * A class with no per-request closures: an object literal with getter closures would get a
 * fresh hidden class per request, and those old-space maps kept every request's closures alive
 * through young-generation GCs. The held call is kept as data, not as a closure.
 */
export class HoldingSink implements ResponseSink {
  /** The status the backend answered with (0 before any head). */
  status = 0;
  /** The headers the backend sent to the client (what the upstream let through). */
  headers: Record<string, string> = noHeaders;
  readonly #inner: ResponseSink;
  /** What is held: nothing, `end()`, or a whole answer (`json` or `bytes`). */
  #held: 0 | "end" | "json" | "bytes" = 0;
  #body: unknown = undefined;
  #heldHeaders: Record<string, string> | undefined = undefined;

  constructor(inner: ResponseSink) {
    this.#inner = inner;
  }

  #hold(
    kind: "json" | "bytes",
    status: number,
    body: unknown,
    headers: Record<string, string> | undefined,
  ): void {
    const inner = this.#inner;
    if (this.#held !== 0 || inner.started || inner.closed) return;
    this.status = status;
    this.headers = headers ?? noHeaders;
    this.#held = kind;
    this.#body = body;
    this.#heldHeaders = headers;
  }

  json(status: number, body: unknown, headers?: Record<string, string>): void {
    this.#hold("json", status, body, headers);
  }

  bytes(status: number, body: Uint8Array | string, headers?: Record<string, string>): void {
    this.#hold("bytes", status, body, headers);
  }

  startStream(status: number, headers?: Record<string, string>): void {
    if (this.#held !== 0 || this.#inner.started) return;
    this.status = status;
    this.headers = headers ?? noHeaders;
    this.#inner.startStream(status, headers);
  }

  write(chunk: Uint8Array | string): Promise<void> {
    return this.#inner.write(chunk);
  }

  end(): void {
    if (this.#held === 0) this.#held = "end";
  }

  get started(): boolean {
    return this.#inner.started || this.#held !== 0;
  }

  get closed(): boolean {
    return this.#inner.closed;
  }

  /** Performs the held `end()`/`json()`/`bytes()`, if any (once). */
  release(): void {
    const held = this.#held;
    this.#held = 0;
    const inner = this.#inner;
    if (held === "end") inner.end();
    else if (held === "json") inner.json(this.status, this.#body, this.#heldHeaders);
    else if (held === "bytes") {
      inner.bytes(this.status, this.#body as Uint8Array | string, this.#heldHeaders);
    }
    this.#body = undefined;
  }
}

const noHeaders: Record<string, string> = Object.freeze({}) as Record<string, string>;
