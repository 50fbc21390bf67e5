import { createSseReader, TranslationError } from "@switchyard/openai-compat";
import { errorToResponse } from "../../server/error-response.js";
import { ProxyError, type ProxyErrorCode } from "../../server/proxy-error.js";
import type { Dialect, ResponseSink, UsageSummary } from "../types.js";
import type { UpstreamResponse } from "./upstream.js";
import { createUtf8ChunkDecoder } from "./utf8-chunks.js";

/** A stateful translator from one dialect's parsed SSE events to the other's serialised text. */
export interface StreamTranslation {
  /** Handles one upstream SSE event's `data`; returns the serialised output (may be ""). */
  push(data: string, event: string | undefined): string;
  /** Optional fast path for a whole raw event, as `SseEventSink.raw` of openai-compat. */
  raw?(text: string, start: number, end: number): string | undefined;
  /** Optional fast path for the events after one `raw` took, as `SseEventSink.rawRun`. */
  rawRun?(text: string, start: number, end: number, out: string[]): number;
  /** End of input: the closing events, or an error event if the upstream stopped early. */
  finish(): string;
  /** Ends the stream with a protocol-correct error event for `errorBody` (caller's dialect). */
  error(errorBody: unknown): string;
  readonly done: boolean;
  /**
   * Why the answer went out with an error terminal, once it did: an upstream error event
   * (`upstream_error`), an upstream event that is not JSON (`upstream_bad_response`, the
   * events before it sent first), an upstream that ended before its answer was whole
   * (`upstream_incomplete`). Undefined for an answer that completed.
   */
  readonly failure?: ProxyErrorCode | undefined;
  /** The usage seen so far (kept on the error when the stream fails). */
  usage?(): UsageSummary | undefined;
}

/**
 * Reads an upstream SSE body, translates it event by event and writes each upstream chunk's
 * output in one write as soon as it is complete. A mid-stream failure ends the stream with
 * a protocol-correct error event in the caller's dialect (never a forged success), then
 * rethrows so the request log records it. An answer that went out whole but ended in an
 * error the upstream reported in band (or a bad event, or an early end) returns that
 * error's code, for the request log and the usage record.
 */
export async function pipeTranslatedStream(options: {
  response: UpstreamResponse;
  sink: ResponseSink;
  callerDialect: Dialect;
  translation: StreamTranslation;
  /** The backend's name, for errors. */
  backend: string;
  /** Extra response headers (e.g. `x-switchyard-omitted`). */
  headers?: Record<string, string>;
}): Promise<ProxyErrorCode | undefined> {
  const { response, sink, callerDialect, translation } = options;
  // A 200 that is plainly not an event stream (JSON from an upstream that ignored
  // `stream: true`, a proxy's HTML page) is refused before anything is sent: a clear 502, not
  // an "ended early" event. Other types pass: some servers label SSE `text/plain`.
  const mediaType = NOT_EVENT_STREAM.exec(String(response.headers["content-type"] ?? ""));
  if (mediaType !== null) {
    await response.body.dump().catch(() => {});
    // Only the matched type is named: the rest of the header is the upstream's to fill.
    throw new ProxyError(
      "upstream_bad_response",
      `upstream ${options.backend} answered a streaming request with ${mediaType[0].trim()}, not an event stream`,
    );
  }
  const reader = createSseReader(translation);
  const utf8 = createUtf8ChunkDecoder();
  sink.startStream(200, options.headers);
  try {
    for await (const chunk of response.body) {
      // After the translated stream ended, the rest is drained unread so the upstream
      // connection stays reusable (destroying the body would close the socket).
      if (translation.done) continue;
      // Every event of one upstream read goes out in one write.
      const out = reader.push(utf8.write(chunk));
      if (out.length > 0) await sink.write(out);
      if (translation.done) sink.end();
    }
    let tail = "";
    if (!translation.done) {
      tail = reader.push(utf8.end());
      tail += reader.end();
      if (!translation.done) tail += translation.finish();
    }
    if (tail.length > 0) await sink.write(tail);
    sink.end();
    return translation.failure;
  } catch (error) {
    // The reader's own refusal (an event past its bound) is the upstream's answer at fault,
    // not a connection that failed.
    const mapped = TranslationError.isInstance(error)
      ? new ProxyError(
          "upstream_bad_response",
          `upstream ${options.backend} sent a stream event switchyard cannot read: ${error.message}`,
          { cause: error },
        )
      : response.mapError(error);
    withUsage(mapped, translation.usage?.());
    if (!sink.closed) {
      const text = translation.error(errorToResponse(mapped, callerDialect).body);
      if (text.length > 0) await sink.write(text);
      sink.end();
    }
    throw mapped;
  }
}

/**
 * Content types that are plainly not an event stream (some servers label SSE `text/plain`):
 * a streaming request answered with one is refused, translated or relayed.
 */
export const NOT_EVENT_STREAM = /^\s*(?:application\/(?:[\w.+-]+\+)?json|text\/html)\b/i;

/** Puts the usage seen before a failure on its error, for the request log and the usage record. */
export function withUsage(error: unknown, usage: UsageSummary | undefined): void {
  if (usage !== undefined && ProxyError.isInstance(error)) error.usage ??= usage;
}
