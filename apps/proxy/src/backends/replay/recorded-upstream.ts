import type { AbortSignalLike } from "@switchyard/pool";
import { type HarEntry, splitSseEvents } from "@switchyard/template-capture";
import type { UpstreamResponse } from "../http/upstream.js";
import type { UpstreamBody } from "../http/upstream-call.js";

/** Waits `ms`, or less when the request is aborted. */
export function sleep(ms: number, signal: AbortSignalLike): Promise<void> {
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
 * A recorded answer as the upstream response the translating handlers read (the same ones an
 * `anthropic` or `openai` backend uses): status, content type, and a body that yields each
 * recorded SSE event at its recorded offset (`paced`) or at once.
 */
export function recordedUpstream(
  entry: HarEntry,
  options: { signal: AbortSignalLike; paced: boolean },
): UpstreamResponse {
  const { content, status } = entry.response;
  const text = content.text ?? "";
  let stopped = false;
  async function* chunks(): AsyncGenerator<Buffer> {
    if (content._sseEvents === undefined) {
      yield Buffer.from(text);
      return;
    }
    const started = performance.now();
    for (const event of splitSseEvents(text, content._sseEvents)) {
      if (stopped || options.signal.aborted) return;
      if (options.paced)
        await sleep(event.offsetMs - (performance.now() - started), options.signal);
      yield Buffer.from(event.text);
    }
  }
  const body: UpstreamBody = {
    [Symbol.asyncIterator]: chunks,
    bytes: async () => Buffer.from(text),
    text: async () => text,
    destroy: () => {
      stopped = true;
    },
    dump: async () => {
      stopped = true;
    },
  };
  return {
    status,
    headers: { "content-type": content.mimeType || "application/json" },
    body,
    mapError: (error) => error,
  };
}
