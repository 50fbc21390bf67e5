import type { IncomingMessage, ServerResponse } from "node:http";
import type { Exchange, TimedChunk } from "@switchyard/template-capture";
import type { ResponseSink } from "../backends/types.js";
import { isAdminReadPath } from "./admin-reads.js";
import type { CaptureLookup } from "./capture-route.js";
import type { RequestLogEntry } from "./request-log.js";

/** Where captured exchanges go (a template-capture recorder, in practice). */
export interface CaptureTarget extends CaptureLookup {
  record(exchange: Exchange): Promise<void>;
}

/** True when a request to `path` belongs in a capture: not the proxy's own endpoints. */
export function isCapturedPath(path: string): boolean {
  return !isAdminReadPath(path) && !path.startsWith("/admin/");
}

const utf8 = new TextDecoder();
const text = (chunk: Uint8Array | string) =>
  typeof chunk === "string" ? chunk : utf8.decode(chunk);

/**
 * A {@link ResponseSink} that passes everything to the real one and keeps a copy (status,
 * headers, body, stream chunks with arrival times) for the capture. Only used when capturing:
 * a proxy without `--capture` never creates one.
 */
class CapturingSink implements ResponseSink {
  status = 0;
  headers: Record<string, string> = {};
  body = "";
  chunks: TimedChunk[] | undefined;
  headAt: number | undefined;
  readonly #inner: ResponseSink;

  constructor(inner: ResponseSink) {
    this.#inner = inner;
  }
  get started() {
    return this.#inner.started;
  }
  get closed() {
    return this.#inner.closed;
  }
  #head(status: number, headers: Record<string, string>) {
    if (this.#inner.started) return;
    this.status = status;
    this.headers = headers;
    this.headAt = performance.now();
  }
  json(status: number, body: unknown, headers?: Record<string, string>): void {
    this.bytes(status, JSON.stringify(body), { "content-type": "application/json", ...headers });
  }
  bytes(status: number, body: Uint8Array | string, headers?: Record<string, string>): void {
    // The same defaults the node sink applies (response-sink.ts).
    if (!this.#inner.started) this.body = text(body);
    this.#head(status, { "content-type": "application/json", ...headers });
    this.#inner.bytes(status, body, headers);
  }
  startStream(status: number, headers?: Record<string, string>): void {
    this.#head(status, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      ...headers,
    });
    this.chunks ??= [];
    this.#inner.startStream(status, headers);
  }
  write(chunk: Uint8Array | string): Promise<void> {
    const offsetMs = performance.now() - (this.headAt ?? performance.now());
    if (this.chunks !== undefined) this.chunks.push({ offsetMs, text: text(chunk) });
    else this.body += text(chunk);
    return this.#inner.write(chunk);
  }
  end(): void {
    this.#inner.end();
  }
}

/**
 * Starts recording one request: tees the request body, wraps the sink, and when the response
 * closes hands the finished exchange to `target` (off the response path; a failed write is
 * logged by the target, never surfaced to the client).
 */
export function tapExchange(options: {
  req: IncomingMessage;
  res: ServerResponse;
  sink: ResponseSink;
  url: string;
  entry: RequestLogEntry;
  target: CaptureTarget;
  maxBodyBytes: number;
  onError: (error: unknown) => void;
}): ResponseSink {
  const { req, res, entry, target } = options;
  const startedAt = Date.now();
  const started = performance.now();
  const requestChunks: Buffer[] = [];
  let requestBytes = 0;
  // A second listener sees the same chunks the server's body reader does.
  req.on("data", (chunk: Buffer) => {
    requestBytes += chunk.length;
    if (requestBytes <= options.maxBodyBytes) requestChunks.push(chunk);
  });
  const sink = new CapturingSink(options.sink);
  res.on("close", () => {
    const ended = performance.now();
    const headAt = sink.headAt ?? ended;
    const requestBody = Buffer.concat(requestChunks).toString("utf8");
    const exchange: Exchange = {
      startedAt,
      method: req.method ?? "GET",
      url: options.url,
      requestHeaders: req.headers,
      ...(requestBody.length > 0 || req.method === "POST" ? { requestBody } : {}),
      status: sink.status || res.statusCode,
      responseHeaders: sink.headers,
      responseBody: sink.chunks ?? sink.body,
      waitMs: headAt - started,
      receiveMs: ended - headAt,
      meta: {
        dialect: entry.path.startsWith("/v1/messages") ? "anthropic" : "openai",
        // The request log's id: `GET /capture?id=` and the dashboard find the entry by it.
        requestId: entry.id,
        ...(entry.backend !== undefined ? { backend: entry.backend } : {}),
        ...(entry.model !== undefined ? { model: entry.model } : {}),
        ...(entry.stream !== undefined ? { stream: entry.stream } : {}),
      },
    };
    target.record(exchange).catch(options.onError);
  });
  return sink;
}
