import type { AbortSignalLike } from "@switchyard/pool";
import { type HarEntry, splitSseEvents } from "@switchyard/template-capture";
import type { ResponseSink } from "../types.js";

/** Waits `ms`, or less when the request is aborted. */
function sleep(ms: number, signal: AbortSignalLike): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Writes a recorded response to the client: its status, content type and body. A recorded
 * stream goes out event by event, each at its recorded offset (`paced`) or at once.
 */
export async function serveRecorded(options: {
  entry: HarEntry;
  sink: ResponseSink;
  signal: AbortSignalLike;
  paced: boolean;
}): Promise<number> {
  const { entry, sink, signal, paced } = options;
  const { status, content } = entry.response;
  const text = content.text ?? "";
  const headers = { "content-type": content.mimeType || "application/json" };
  if (content._sseEvents === undefined) {
    sink.bytes(status, text, headers);
    return status;
  }
  sink.startStream(status, headers);
  const started = performance.now();
  for (const event of splitSseEvents(text, content._sseEvents)) {
    if (signal.aborted || sink.closed) break;
    if (paced) await sleep(event.offsetMs - (performance.now() - started), signal);
    await sink.write(event.text);
  }
  sink.end();
  return status;
}
