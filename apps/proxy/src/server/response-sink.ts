import type { ServerResponse } from "node:http";
import type { ResponseSink } from "../backends/types.js";

/** Timing the sink records for the request log. */
export interface SinkTiming {
  /** `performance.now()` when the first body byte was written, if any. */
  firstByteAt?: number;
  status: number;
}

/** Shared by every write that needs no waiting (saves an allocation per chunk). */
const resolved = Promise.resolve();

/**
 * Output a response may have buffered before a write waits for the client to drain it. Above
 * node's 16 KB mark, not at it: a 30 KB stream chunk would otherwise cost every response a
 * promise, two listeners and a wait for `drain`, though the kernel took it at once. A client
 * that reads slowly still holds the stream (and through the upstream call's own mark, the
 * upstream) at about this much per response.
 */
export const SINK_BUFFER_LIMIT = 1024 * 1024;

/**
 * A {@link ResponseSink} over a node `ServerResponse`, with backpressure and close awareness.
 *
 * A class, not an object literal: a literal with per-request getter closures gets a fresh
 * hidden class (map) each time; maps live in old space, so every request's closures (and
 * through them the request and response) survived young-generation GC until a full
 * mark-compact.
 */
class NodeResponseSink implements ResponseSink {
  readonly timing: SinkTiming = { status: 0 };
  #started = false;
  readonly #res: ServerResponse;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  get started(): boolean {
    return this.#started;
  }

  get closed(): boolean {
    return this.#res.destroyed;
  }

  #ended(): boolean {
    return this.#res.destroyed || this.#res.writableEnded;
  }

  #markFirstByte(): void {
    if (this.timing.firstByteAt === undefined) this.timing.firstByteAt = performance.now();
  }

  #head(status: number, headers: Record<string, string>): void {
    this.#started = true;
    this.timing.status = status;
    this.#res.writeHead(status, headers);
  }

  json(status: number, body: unknown, headers?: Record<string, string>): void {
    // `bytes` puts `content-type: application/json` first unless `headers` name another: no
    // header object of its own here (it would be copied again there).
    this.bytes(status, JSON.stringify(body), headers);
  }

  bytes(status: number, body: string | Uint8Array, headers?: Record<string, string>): void {
    if (this.#started || this.#ended()) return;
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
    this.#head(status, {
      "content-type": "application/json",
      ...headers,
      "content-length": String(length),
    });
    this.#markFirstByte();
    this.#res.end(body);
  }

  startStream(status: number, headers?: Record<string, string>): void {
    if (this.#started || this.#ended()) return;
    this.#head(status, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      ...headers,
    });
  }

  write(chunk: string | Uint8Array): Promise<void> {
    if (this.#ended()) return resolved;
    this.#markFirstByte();
    const res = this.#res;
    if (res.write(chunk) || res.writableLength < SINK_BUFFER_LIMIT) return resolved;
    return new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
  }

  end(): void {
    if (!this.#ended()) this.#res.end();
  }
}

/** A {@link ResponseSink} over a node `ServerResponse`, with backpressure and close awareness. */
export function createResponseSink(res: ServerResponse): ResponseSink & { timing: SinkTiming } {
  return new NodeResponseSink(res);
}
