import { createSseDecoder } from "@switchyard/openai-compat";
import { errorToResponse } from "../../server/error-response.js";
import type { Dialect, ResponseSink } from "../types.js";
import type { UpstreamResponse } from "./upstream.js";

/** A stateful translator from one dialect's parsed SSE events to the other's serialised text. */
export interface StreamTranslation {
  /** Handles one upstream SSE event's `data`; returns the serialised output (may be ""). */
  push(data: string, event: string | undefined): string;
  /** End of input: the closing events, or an error event if the upstream stopped early. */
  finish(): string;
  /** Ends the stream with a protocol-correct error event for `errorBody` (caller's dialect). */
  error(errorBody: unknown): string;
  readonly done: boolean;
}

/**
 * Reads an upstream SSE body, translates it event by event and writes each upstream chunk's
 * output in one write as soon as it is complete. A mid-stream failure ends the stream with
 * a protocol-correct error event in the caller's dialect (never a forged success), then
 * rethrows so the request log records it.
 */
export async function pipeTranslatedStream(options: {
  response: UpstreamResponse;
  sink: ResponseSink;
  callerDialect: Dialect;
  translation: StreamTranslation;
}): Promise<void> {
  const { response, sink, callerDialect, translation } = options;
  const decoder = createSseDecoder();
  sink.startStream(200);
  try {
    for await (const chunk of response.body) {
      // After the translated stream ended, the rest is drained unread so the upstream
      // connection stays reusable (destroying the body would close the socket).
      if (translation.done) continue;
      let out = "";
      for (const message of decoder.push(chunk)) {
        out += translation.push(message.data, message.event);
        if (translation.done) break;
      }
      if (out.length > 0) await sink.write(out);
      if (translation.done) sink.end();
    }
    let tail = "";
    if (!translation.done) {
      for (const message of decoder.end()) tail += translation.push(message.data, message.event);
      tail += translation.finish();
    }
    if (tail.length > 0) await sink.write(tail);
    sink.end();
  } catch (error) {
    const mapped = response.mapError(error);
    if (!sink.closed) {
      const text = translation.error(errorToResponse(mapped, callerDialect).body);
      if (text.length > 0) await sink.write(text);
      sink.end();
    }
    throw mapped;
  }
}
