import { writeError } from "../../server/error-response.js";
import { ProxyError, type ProxyErrorCode } from "../../server/proxy-error.js";
import type { ResponseSink, UsageSummary } from "../types.js";
import {
  mayHoldError,
  redactErrorBody,
  redactErrorEvents,
  redactHeaderValue,
} from "./redact-upstream.js";
import { responsesFailedSse } from "./responses-failed.js";
import { NOT_EVENT_STREAM, withUsage } from "./translate-stream.js";
import type { UpstreamResponse } from "./upstream.js";
import { upstreamErrorFromText } from "./upstream-error.js";
import { createUsageScanner } from "./usage-scan.js";

/**
 * Response headers worth passing back to the client on a pass-through (none is a credential),
 * their values redacted: an upstream may echo what it was sent (a key) in a request id.
 */
export function relayHeaders(
  headers: UpstreamResponse["headers"],
  secrets: readonly string[],
): Record<string, string> {
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
      if (typeof value === "string") out[name] = redactHeaderValue(value, secrets);
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
  /** The status the client got instead of the upstream's (its 2xx answer was refused: a 502). */
  status?: number;
}

/**
 * Sends a non-streamed upstream body to the client byte for byte (a body that is in fact an
 * error is redacted first); scans its usage afterwards.
 */
export async function relayBody(options: RelayOptions): Promise<RelayOutcome> {
  const { response, sink, dialect, secrets } = options;
  const body = await readAll(response);
  const redacted = redactedError(body, secrets);
  // An error object sent as a success (vLLM and others), an HTML page, an event stream (to a
  // request that asked for none), a cut-off body: never relayed as an answer.
  const ok = response.status >= 200 && response.status < 300;
  if (ok && (redacted !== undefined || !framedAsJson(body))) {
    return refuse(options, redacted, "answered with a body that is not valid JSON");
  }
  sink.bytes(response.status, redacted ?? body, relayHeaders(response.headers, secrets));
  const scanner = createUsageScanner();
  scanner.push(body);
  const usage = scanner.usage(dialect);
  return usage === undefined ? {} : { usage };
}

/** A whole body that is an error object, redacted; undefined for anything else. */
const redactedError = (body: Buffer, secrets: readonly string[]) =>
  mayHoldError(body) ? redactErrorBody(body.toString("utf8"), secrets) : undefined;

/**
 * The client's answer to a 2xx the upstream did not mean as an answer, in the caller's
 * protocol: the upstream's error (its message redacted) when `redacted` holds one, else a 502
 * `upstream_bad_response` saying why, echoing nothing of the body (it may hold a key).
 */
function refuse(options: RelayOptions, redacted: string | undefined, why: string): RelayOutcome {
  const { response, sink, dialect, secrets, backend } = options;
  const protocol = callerProtocol(dialect);
  if (redacted !== undefined) {
    const error = upstreamErrorFromText({
      response,
      text: redacted,
      backend,
      dialect: protocol,
      secrets,
    });
    return { error: "upstream_error", status: writeError(sink, protocol, error) };
  }
  const error = new ProxyError("upstream_bad_response", `upstream ${backend} ${why}`);
  return { error: "upstream_bad_response", status: writeError(sink, protocol, error) };
}

/** The error shape a caller of `dialect` reads (a Responses caller reads OpenAI's). */
const callerProtocol = (dialect: RelayOptions["dialect"]) =>
  dialect === "anthropic" ? "anthropic" : "openai";

/** Whether a whole body is framed as a JSON object or array: `{…}` or `[…]`, blanks aside. */
function framedAsJson(body: Buffer): boolean {
  let start = 0;
  let end = body.length - 1;
  while (start <= end && isBlank(body[start] as number)) start++;
  while (end > start && isBlank(body[end] as number)) end--;
  if (start >= end) return false;
  const first = body[start];
  const last = body[end];
  return (first === 0x7b && last === 0x7d) || (first === 0x5b && last === 0x5d);
}

const isBlank = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The blank lines that end an SSE event (a line ends with CRLF, LF or a lone CR). `\r\n\n`
 * holds `\n\n`, and `\r\r\n` is found as `\r\r`: the cut then falls before its `\n`, which
 * only moves where one write ends (the bytes are relayed as they are).
 */
const lfBoundary = Buffer.from("\n\n");
const crlfBoundary = Buffer.from("\r\n\r\n");
const crBoundary = Buffer.from("\r\r");
const lfCrlfBoundary = Buffer.from("\n\r\n");

/** Index just past the last complete SSE event in `chunk`, or -1. */
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
  const cr = chunk.lastIndexOf(crBoundary);
  const lfCrlf = chunk.lastIndexOf(lfCrlfBoundary);
  const after = (at: number, length: number) => (at < 0 ? -1 : at + length);
  return Math.max(after(lf, 2), after(crlf, 4), after(cr, 2), after(lfCrlf, 3));
}

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
  const mediaType = NOT_EVENT_STREAM.exec(String(response.headers["content-type"] ?? ""));
  if (mediaType !== null) return refuseNonStream(options, mediaType[0].trim());
  const scanner = createUsageScanner();
  sink.startStream(response.status, relayHeaders(response.headers, secrets));
  // The bytes after the last complete event, as read: joined only once the event completes,
  // so a long event costs one copy, not one per read.
  let held: Buffer[] | undefined;
  let heldSize = 0;
  let last: Buffer | undefined;
  let first: Buffer | undefined;
  /** Set when a relayed event was an error event (the answer went out, but failed). */
  const seen = { error: false };
  let error: ProxyErrorCode | undefined;
  try {
    for await (const raw of response.body) {
      first ??= raw;
      scanner.push(raw);
      let chunk = raw;
      if (held !== undefined) {
        const tail = held[held.length - 1] as Buffer;
        if (lastEventEnd(raw) < 0 && !boundaryAcross(tail, raw)) {
          held.push(raw);
          heldSize += raw.length;
          if (heldSize > MAX_EVENT_BYTES) {
            error = "upstream_bad_response";
            break;
          }
          continue;
        }
        held.push(raw);
        chunk = Buffer.concat(held, heldSize + raw.length);
        held = undefined;
        heldSize = 0;
      }
      const cut = lastEventEnd(chunk);
      if (cut < 0) {
        held = [chunk];
        heldSize = chunk.length;
        continue;
      }
      if (cut < chunk.length) {
        held = [chunk.subarray(cut)];
        heldSize = chunk.length - cut;
      }
      last = cut === chunk.length ? chunk : chunk.subarray(0, cut);
      await sink.write(
        mayHoldError(last) ? redactErrorEvents(last.toString("utf8"), secrets, seen) : last,
      );
    }
  } catch (error) {
    const mapped = response.mapError(error);
    withUsage(mapped, scanner.usage(dialect));
    if (dialect === "responses" && !sink.closed) {
      // A Responses client learns a broken stream from its closing event, never a bare error.
      // The cause when it is known (a timeout names itself), else the break.
      const message = ProxyError.isInstance(mapped)
        ? `${mapped.message}: the answer is incomplete`
        : `upstream ${options.backend} broke off the stream: the answer is incomplete`;
      await sink.write(responsesFailedSse({ first, last, message }));
      sink.end();
    }
    throw mapped;
  }
  const usage = scanner.usage(dialect);
  const outcome = (code: ProxyErrorCode | undefined): RelayOutcome => {
    const out: RelayOutcome = {};
    if (usage !== undefined) out.usage = usage;
    if (code !== undefined) out.error = code;
    return out;
  };
  if (error !== undefined) {
    // An event past the bound: the rest of the stream is not read (the socket is closed).
    await endWithError(
      options,
      new ProxyError(
        "upstream_bad_response",
        `upstream ${options.backend} sent a stream event over ${MAX_EVENT_BYTES / 1024 / 1024} MiB: the answer is incomplete`,
      ),
      first,
      last,
    );
    return outcome(error);
  }
  const pending = held === undefined ? undefined : Buffer.concat(held, heldSize);
  if (!finished(dialect, last, pending)) {
    // The half event held back is dropped: glued to the error event it would garble both.
    const marker =
      dialect === "responses"
        ? "its terminal response event"
        : dialect === "anthropic"
          ? "message_stop"
          : "[DONE]";
    await endWithError(
      options,
      new ProxyError(
        "upstream_incomplete",
        `upstream ${options.backend} ended the stream before ${marker}: the answer is incomplete`,
      ),
      first,
      last,
    );
    return outcome("upstream_incomplete");
  }
  if (pending !== undefined) {
    await sink.write(
      mayHoldError(pending) ? redactErrorEvents(pending.toString("utf8"), secrets, seen) : pending,
    );
  }
  sink.end();
  return outcome(seen.error ? "upstream_error" : undefined);
}

/**
 * The most a relayed stream holds back for one event; a longer event ends the stream with an
 * error (the bound translated streams have too, `maxBufferSize` of openai-compat's decoder).
 */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

/**
 * A streaming request answered with JSON or a page instead of an event stream (before anything
 * was sent): the upstream's error, its message redacted, when the body is one (a 200 with an
 * error object); else a 502 that names the type and echoes nothing of the body.
 */
async function refuseNonStream(options: RelayOptions, mediaType: string): Promise<RelayOutcome> {
  const body = await readAll(options.response);
  const why = `answered a streaming request with ${mediaType}, not an event stream`;
  return refuse(options, redactedError(body, options.secrets), why);
}

/** Whether an event boundary spans the end of `before` and the start of `after`. */
function boundaryAcross(before: Buffer, after: Buffer): boolean {
  const joint = Buffer.concat([
    before.subarray(Math.max(0, before.length - 3)),
    after.subarray(0, Math.min(3, after.length)),
  ]);
  return (
    joint.includes(lfBoundary) ||
    joint.includes(crlfBoundary) ||
    joint.includes(crBoundary) ||
    joint.includes(lfCrlfBoundary)
  );
}

/** Ends a relayed stream with `error` in the client's protocol (a Responses stream: `response.failed`). */
async function endWithError(
  options: RelayOptions,
  error: ProxyError,
  first: Buffer | undefined,
  last: Buffer | undefined,
): Promise<void> {
  const { sink, dialect } = options;
  if (dialect === "responses") {
    await sink.write(responsesFailedSse({ first, last, message: error.message }));
    sink.end();
    return;
  }
  writeError(sink, callerProtocol(dialect), error);
}
