import type { ResponseSink, UsageSummary } from "../types.js";
import type { UpstreamResponse } from "./upstream.js";
import { createUsageScanner } from "./usage-scan.js";

/** Response headers worth passing back to the client on a pass-through (none is a credential). */
export function relayHeaders(headers: UpstreamResponse["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (
      name === "content-type" ||
      name === "request-id" ||
      name === "x-request-id" ||
      name === "retry-after" ||
      name.startsWith("anthropic-ratelimit-") ||
      name.startsWith("x-ratelimit-")
    ) {
      const value = headers[name];
      if (typeof value === "string") out[name] = value;
    }
  }
  return out;
}

/** Reads a whole (small, JSON) upstream body. */
export async function readAll(response: UpstreamResponse): Promise<Buffer> {
  try {
    return await response.body.bytes();
  } catch (error) {
    throw response.mapError(error);
  }
}

/** Sends a non-streamed upstream body to the client byte for byte; scans its usage afterwards. */
export async function relayBody(options: {
  response: UpstreamResponse;
  sink: ResponseSink;
  dialect: "anthropic" | "openai";
}): Promise<UsageSummary | undefined> {
  const { response, sink, dialect } = options;
  const body = await readAll(response);
  sink.bytes(response.status, body, relayHeaders(response.headers));
  const scanner = createUsageScanner();
  scanner.push(body);
  return scanner.usage(dialect);
}

const lfBoundary = Buffer.from("\n\n");
const crlfBoundary = Buffer.from("\r\n\r\n");

/** Index just past the last complete SSE event in `chunk` (LF or CRLF line ends), or -1. */
function lastEventEnd(chunk: Buffer): number {
  // The common case: the chunk ends exactly at an event boundary.
  const n = chunk.length;
  if (n >= 2 && chunk[n - 1] === 0x0a) {
    if (chunk[n - 2] === 0x0a) return n; // \n\n
    if (n >= 4 && chunk[n - 2] === 0x0d && chunk[n - 3] === 0x0a && chunk[n - 4] === 0x0d) {
      return n; // \r\n\r\n
    }
  }
  const lf = chunk.lastIndexOf(lfBoundary);
  const crlf = chunk.lastIndexOf(crlfBoundary);
  if (lf < 0 && crlf < 0) return -1;
  return Math.max(lf + 2, crlf + 4);
}

/**
 * Pipes an SSE body to the client untouched, one write per upstream chunk. Bytes after the
 * last complete event (`\n\n`) are held back until the event completes, so a mid-stream
 * failure can be followed by a clean error event instead of half an event.
 */
export async function relayStream(options: {
  response: UpstreamResponse;
  sink: ResponseSink;
  dialect: "anthropic" | "openai";
}): Promise<UsageSummary | undefined> {
  const { response, sink, dialect } = options;
  const scanner = createUsageScanner();
  sink.startStream(response.status, relayHeaders(response.headers));
  let pending: Buffer | undefined;
  try {
    for await (const raw of response.body) {
      scanner.push(raw);
      const chunk = pending === undefined ? raw : Buffer.concat([pending, raw]);
      const cut = lastEventEnd(chunk);
      if (cut < 0) {
        pending = chunk;
        continue;
      }
      pending = cut < chunk.length ? chunk.subarray(cut) : undefined;
      await sink.write(cut === chunk.length ? chunk : chunk.subarray(0, cut));
    }
  } catch (error) {
    throw response.mapError(error);
  }
  if (pending !== undefined) await sink.write(pending);
  sink.end();
  return scanner.usage(dialect);
}
