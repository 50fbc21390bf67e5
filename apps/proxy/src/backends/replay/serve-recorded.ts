import type { AbortSignalLike } from "@switchyard/pool";
import type { HarEntry } from "@switchyard/template-capture";
import type { ResponseSink } from "../types.js";
import { recordedUpstream } from "./recorded-upstream.js";

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
  for await (const event of recordedUpstream(entry, { signal, paced }).body) {
    if (sink.closed) break;
    await sink.write(event);
  }
  sink.end();
  return status;
}
