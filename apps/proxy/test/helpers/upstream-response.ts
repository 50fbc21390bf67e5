import type { UpstreamResponse } from "../../src/backends/http/upstream.js";

/**
 * A 200 upstream answer for relay tests: `chunks` as the body's reads, all of them joined as
 * its whole-body read (`bytes()`).
 */
export function upstreamOf(chunks: string[], contentType = "text/event-stream"): UpstreamResponse {
  const whole = Buffer.from(chunks.join(""));
  const body = (async function* () {
    for (const c of chunks) yield Buffer.from(c);
  })();
  return {
    status: 200,
    headers: { "content-type": contentType },
    body: Object.assign(body, {
      bytes: async () => whole,
      text: async () => whole.toString(),
      destroy: () => {},
      dump: async () => {},
    }),
    mapError: (e) => e,
  };
}
