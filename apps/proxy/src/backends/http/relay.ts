import { writeError } from "../../server/error-response.js";
import { ProxyError, type ProxyErrorCode } from "../../server/proxy-error.js";
import type { ResponseSink, UsageSummary } from "../types.js";
import { mayHoldError, redactErrorBody, redactErrorEvents } from "./redact-upstream.js";
import { responsesFailedSse } from "./responses-failed.js";
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

/** What a relay tells the caller besides the bytes it sent. */
export interface RelayOptions {
  response: UpstreamResponse;
  sink: ResponseSink;
  /** The upstream's protocol (`responses`: OpenAI Responses, answered in OpenAI's error shape). */
  dialect: "anthropic" | "openai" | "responses";
  /** The backend's name, for errors. */
  backend: string;
  /** The backend's own secrets: redacted from anything that came from an upstream error. */
  secrets: readonly string[];
}

/** What a relay learnt: the usage it saw, and the error code when the answer went out incomplete. */
export interface RelayOutcome {
  usage?: UsageSummary;
  error?: ProxyErrorCode;
}

/**
 * Sends a non-streamed upstream body to the client byte for byte (a body that is in fact an
 * error is redacted first); scans its usage afterwards.
 */
export async function relayBody(options: RelayOptions): Promise<RelayOutcome> {
  const { response, sink, dialect, secrets } = options;
  const body = await readAll(response);
  const redacted = mayHoldError(body) ? redactErrorBody(body.toString("utf8"), secrets) : undefined;
  sink.bytes(response.status, redacted ?? body, relayHeaders(response.headers));
  const scanner = createUsageScanner();
  scanner.push(body);
  const usage = scanner.usage(dialect);
  return usage === undefined ? {} : { usage };
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

/** Content types that are plainly not an event stream (some servers label SSE `text/plain`). */
const notEventStream = /^\s*(?:application\/(?:[\w.+-]+\+)?json|text\/html)\b/i;

/** How far back from the end of a stream its closing event is looked for. */
const TAIL = 512;

/** The events a Responses stream ends with. */
const RESPONSES_TERMINAL = ["response.completed", "response.incomplete", "response.failed"].map(
  (name) => Buffer.from(`"type":"${name}"`),
);

/** Closing markers found in the bytes as they are: the common, finished case decodes nothing. */
const MESSAGE_STOP = Buffer.from("message_stop");
const DONE = Buffer.from("[DONE]");

/** Whether `marker` lies within the last {@link TAIL} bytes of `b`. */
const inTail = (b: Buffer | undefined, marker: Buffer) =>
  b !== undefined && b.indexOf(marker, Math.max(0, b.length - TAIL)) >= 0;

/**
 * Whether a stream whose last bytes are `last` + `pending` finished: Anthropic's
 * `message_stop`, OpenAI's `[DONE]` (or a chunk with a `finish_reason`, for servers that send
 * no `[DONE]`), or an error event (the client already learnt it failed).
 */
function finished(
  dialect: RelayOptions["dialect"],
  last: Buffer | undefined,
  pending: Buffer | undefined,
): boolean {
  // The marker in either tail alone: found in their concatenation too, so the answer is the
  // same; only a stream without it is read as text below.
  if (dialect === "anthropic" || dialect === "openai") {
    const marker = dialect === "anthropic" ? MESSAGE_STOP : DONE;
    if (inTail(last, marker) || inTail(pending, marker)) return true;
  }
  const end = (b: Buffer | undefined) =>
    b === undefined ? "" : b.toString("latin1", Math.max(0, b.length - TAIL));
  const tail = end(last) + end(pending);
  let closed: boolean;
  if (dialect === "anthropic") closed = tail.includes("message_stop");
  else if (dialect === "openai")
    closed = tail.includes("[DONE]") || /"finish_reason":\s*"/.test(tail);
  else if (dialect === "responses")
    // The terminal event carries the whole response, so its name may lie before the tail:
    // look in the last written chunk, which holds that event's start.
    closed = RESPONSES_TERMINAL.some((name) => last?.includes(name) || pending?.includes(name));
  // A stream kind this check does not know the closing event of is never called incomplete.
  else return true;
  return closed || mayHoldError(Buffer.from(tail, "latin1"));
}

/**
 * Pipes an SSE body to the client untouched, one write per upstream chunk. Bytes after the
 * last complete event (`\n\n`) are held back until the event completes, so a mid-stream
 * failure can be followed by a clean error event instead of half an event. Only a chunk that
 * may hold an error event is looked into; its error events are redacted. A stream that ends
 * before its closing event (`message_stop`, `[DONE]`) ends with an error event, not a silent
 * truncation.
 */
export async function relayStream(options: RelayOptions): Promise<RelayOutcome> {
  const { response, sink, dialect, secrets } = options;
  const scanner = createUsageScanner();
  sink.startStream(response.status, relayHeaders(response.headers));
  let pending: Buffer | undefined;
  let last: Buffer | undefined;
  let first: Buffer | undefined;
  try {
    for await (const raw of response.body) {
      first ??= raw;
      scanner.push(raw);
      const chunk = pending === undefined ? raw : Buffer.concat([pending, raw]);
      const cut = lastEventEnd(chunk);
      if (cut < 0) {
        pending = chunk;
        continue;
      }
      pending = cut < chunk.length ? chunk.subarray(cut) : undefined;
      last = cut === chunk.length ? chunk : chunk.subarray(0, cut);
      await sink.write(
        mayHoldError(last) ? redactErrorEvents(last.toString("utf8"), secrets) : last,
      );
    }
  } catch (error) {
    const mapped = response.mapError(error);
    if (dialect === "responses" && !sink.closed) {
      // A Responses client learns a broken stream from its closing event, never a bare error.
      const message = `upstream ${options.backend} broke off the stream: the answer is incomplete`;
      await sink.write(responsesFailedSse({ first, last, message }));
      sink.end();
    }
    throw mapped;
  }
  const usage = scanner.usage(dialect);
  // The content type is looked at only for a stream that seems cut short (rarely).
  if (
    !finished(dialect, last, pending) &&
    !notEventStream.test(String(response.headers["content-type"] ?? ""))
  ) {
    // The half event held back is dropped: glued to the error event it would garble both.
    if (dialect === "responses") {
      const message = `upstream ${options.backend} ended the stream before its terminal response event: the answer is incomplete`;
      await sink.write(responsesFailedSse({ first, last, message }));
      sink.end();
      return usage === undefined
        ? { error: "upstream_incomplete" }
        : { usage, error: "upstream_incomplete" };
    }
    const marker = dialect === "anthropic" ? "message_stop" : "[DONE]";
    writeError(
      sink,
      dialect === "anthropic" ? "anthropic" : "openai",
      new ProxyError(
        "upstream_incomplete",
        `upstream ${options.backend} ended the stream before ${marker}: the answer is incomplete`,
      ),
    );
    return usage === undefined
      ? { error: "upstream_incomplete" }
      : { usage, error: "upstream_incomplete" };
  }
  if (pending !== undefined) {
    await sink.write(
      mayHoldError(pending) ? redactErrorEvents(pending.toString("utf8"), secrets) : pending,
    );
  }
  sink.end();
  return usage === undefined ? {} : { usage };
}
