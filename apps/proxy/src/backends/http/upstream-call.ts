import type { Dispatcher } from "undici";

/** The body of an upstream response, read once: whole, chunk by chunk, or dropped. */
export interface UpstreamBody extends AsyncIterable<Buffer> {
  /** The whole body. Rejects with the transport error (map it with `mapError`). */
  bytes(): Promise<Buffer>;
  /** The whole body as UTF-8. */
  text(): Promise<string>;
  /** Aborts the upstream request (closes its connection). */
  destroy(error?: Error): void;
  /**
   * Reads the rest and drops it, so a keep-alive connection stays reusable; a rest larger
   * than 128 KiB closes the connection instead.
   */
  dump(): Promise<void>;
}

/**
 * Bytes queued unread before undici is asked to pause the socket (what a node `Readable`, e.g.
 * undici's own body stream, holds). Counted in bytes, not chunks: a stream's events arrive as
 * one HTTP chunk each, hundreds in one socket read, and a mark of a few chunks paused and
 * resumed the parser (each resume re-arms undici's body timer) many times per burst.
 */
export const HIGH_WATER_BYTES = 64 * 1024;
/**
 * The most `dump()` reads to keep a connection: past it, closing the socket is cheaper than
 * draining it (undici's own `dump()` uses the same bound).
 */
const DUMP_LIMIT = 128 * 1024;
/**
 * The most a whole-body read (`bytes()`, a JSON answer) keeps: past it the call is aborted with
 * {@link BODY_TOO_LARGE} (an upstream must not make the proxy buffer without bound).
 */
export const MAX_WHOLE_BODY_BYTES = 64 * 1024 * 1024;
/** The `code` of the error a whole-body read past {@link MAX_WHOLE_BODY_BYTES} fails with. */
export const BODY_TOO_LARGE = "SWITCHYARD_UPSTREAM_BODY_TOO_LARGE";

enum Mode {
  /** Nobody has asked for the body yet: chunks are kept. */
  Idle,
  /** `bytes()`/`text()`: chunks are kept until the end. */
  Whole,
  /** Async iteration: chunks are handed out as they come, with backpressure. */
  Iterate,
  /** `dump()`/`destroy()`: chunks are dropped. */
  Drop,
}

/**
 * One upstream request as an undici dispatch handler, and its response body. Cheaper than
 * `Dispatcher.request()`: no `Readable` stream, no AbortSignal and no promise per chunk for a
 * whole-body read. The head resolves `head` (status and headers); the body is this object.
 *
 * Settlement: exactly one of `onResponseEnd`/`onResponseError` ends the call, and `onSettled`
 * runs once after it (timers and listeners are released there).
 */
export class UpstreamCall implements Dispatcher.DispatchHandler, UpstreamBody {
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  /** Set when the call ended with an error (before or after the head). */
  error: unknown = undefined;
  ended = false;
  /** The call was aborted by us (client gone, total deadline) before undici started it. */
  #pendingAbort: Error | undefined = undefined;
  #controller: Dispatcher.DispatchController | undefined = undefined;
  #mode = Mode.Idle;
  #chunks: Buffer[] = [];
  /** Bytes in `#chunks` (not yet handed out). */
  #queued = 0;
  #size = 0;
  #paused = false;
  /** Bytes dropped since `dump()`. */
  #dropped = 0;
  /** Wakes whoever waits on the head or on the body. */
  #resolveHead: ((call: UpstreamCall) => void) | undefined;
  #rejectHead: ((error: unknown) => void) | undefined;
  #wake: (() => void) | undefined = undefined;
  readonly #onSettled: (call: UpstreamCall) => void;

  constructor(
    resolve: (call: UpstreamCall) => void,
    reject: (error: unknown) => void,
    onSettled: (call: UpstreamCall) => void,
  ) {
    this.#resolveHead = resolve;
    this.#rejectHead = reject;
    this.#onSettled = onSettled;
  }

  // --- undici handler -------------------------------------------------------------------

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#pendingAbort !== undefined) controller.abort(this.#pendingAbort);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return; // 1xx: informational, the real head follows
    this.status = statusCode;
    this.headers = headers;
    const resolve = this.#resolveHead;
    this.#resolveHead = undefined;
    this.#rejectHead = undefined;
    resolve?.(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#mode === Mode.Drop) {
      this.#dropped += chunk.length;
      if (this.#dropped > DUMP_LIMIT) controller.abort(new Error("upstream body dropped"));
      return;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    this.#queued += chunk.length;
    if (this.#mode === Mode.Whole && this.#queued > MAX_WHOLE_BODY_BYTES) {
      this.#chunks = [];
      this.#queued = 0;
      controller.abort(
        Object.assign(new Error(`upstream body over ${MAX_WHOLE_BODY_BYTES} bytes`), {
          code: BODY_TOO_LARGE,
        }),
      );
      return;
    }
    // A body nobody reads yet (e.g. a failed attempt kept while another target is tried) or
    // one read slower than it arrives is not buffered without bound: the socket is paused.
    if (this.#mode !== Mode.Whole && !this.#paused && this.#queued >= HIGH_WATER_BYTES) {
      this.#paused = true;
      controller.pause();
    }
    if (this.#mode === Mode.Iterate) this.#wakeReader();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.#settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.ended || this.error !== undefined) return;
    this.error = error;
    const reject = this.#rejectHead;
    this.#resolveHead = undefined;
    this.#rejectHead = undefined;
    reject?.(error);
    this.#settle();
  }

  // --- control ------------------------------------------------------------------------

  /** Aborts the call (before or after it started); its waiter sees `reason`. */
  abort(reason: Error): void {
    if (this.ended || this.error !== undefined) return;
    if (this.#controller === undefined) {
      // Still queued in undici: remember, and fail the caller now.
      this.#pendingAbort = reason;
      this.onResponseError(undefined, reason);
    } else this.#controller.abort(reason);
  }

  #settle(): void {
    this.#wakeReader();
    this.#onSettled(this);
  }

  #wakeReader(): void {
    const wake = this.#wake;
    if (wake !== undefined) {
      this.#wake = undefined;
      wake();
    }
  }

  #waitForMore(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
  }

  #whole(): Buffer {
    const chunks = this.#chunks;
    const out = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size);
    this.#chunks = [];
    this.#queued = 0;
    return out;
  }

  // --- body ---------------------------------------------------------------------------

  async bytes(): Promise<Buffer> {
    this.#mode = Mode.Whole;
    if (this.#paused) {
      this.#paused = false;
      this.#controller?.resume();
    }
    while (!this.ended) {
      if (this.error !== undefined) throw this.error;
      await this.#waitForMore();
    }
    return this.#whole();
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString("utf8");
  }

  destroy(error?: Error): void {
    this.#mode = Mode.Drop;
    this.#chunks = [];
    this.#queued = 0;
    this.abort(error ?? new Error("upstream body destroyed"));
  }

  async dump(): Promise<void> {
    this.#mode = Mode.Drop;
    this.#chunks = [];
    this.#queued = 0;
    const declared = Number(this.headers["content-length"]);
    if (!this.ended && declared - this.#size > DUMP_LIMIT) {
      this.destroy();
      return;
    }
    if (this.#paused) {
      this.#paused = false;
      this.#controller?.resume();
    }
    while (!this.ended && this.error === undefined) await this.#waitForMore();
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    this.#mode = Mode.Iterate;
    return this;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    for (;;) {
      const chunks = this.#chunks;
      if (chunks.length > 0) {
        // Everything that arrived since the last read goes out as one chunk: one socket read
        // holds many small HTTP chunks (one per SSE event), and a consumer that writes each
        // chunk it gets would otherwise pay a write syscall per event.
        const chunk =
          chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#queued);
        this.#chunks = [];
        this.#queued = 0;
        if (this.#paused) {
          this.#paused = false;
          this.#controller?.resume();
        }
        return { value: chunk, done: false };
      }
      if (this.error !== undefined) throw this.error;
      if (this.ended) return { value: undefined, done: true };
      await this.#waitForMore();
    }
  }

  /** `break` out of a `for await`: the rest is not wanted, the connection is closed. */
  async return(): Promise<IteratorResult<Buffer>> {
    if (!this.ended) this.destroy();
    return { value: undefined, done: true };
  }
}
