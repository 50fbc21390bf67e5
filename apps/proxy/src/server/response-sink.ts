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

/** A {@link ResponseSink} over a node `ServerResponse`, with backpressure and close awareness. */
export function createResponseSink(res: ServerResponse): ResponseSink & { timing: SinkTiming } {
  const timing: SinkTiming = { status: 0 };
  let started = false;
  const markFirstByte = () => {
    if (timing.firstByteAt === undefined) timing.firstByteAt = performance.now();
  };
  const head = (status: number, headers: Record<string, string>) => {
    started = true;
    timing.status = status;
    res.writeHead(status, headers);
  };
  const closed = () => res.destroyed || res.writableEnded;

  return {
    timing,
    get started() {
      return started;
    },
    get closed() {
      return res.destroyed;
    },
    json(status, body, headers) {
      this.bytes(status, JSON.stringify(body), { "content-type": "application/json", ...headers });
    },
    bytes(status, body, headers) {
      if (started || closed()) return;
      const length = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
      head(status, {
        "content-type": "application/json",
        ...headers,
        "content-length": String(length),
      });
      markFirstByte();
      res.end(body);
    },
    startStream(status, headers) {
      if (started || closed()) return;
      head(status, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        ...headers,
      });
    },
    write(chunk) {
      if (closed()) return resolved;
      markFirstByte();
      if (res.write(chunk)) return resolved;
      return new Promise<void>((resolve) => {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      });
    },
    end() {
      if (!closed()) res.end();
    },
  };
}
