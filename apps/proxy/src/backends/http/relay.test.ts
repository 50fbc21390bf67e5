import { describe, expect, it } from "vitest";
import { streamSink } from "../../../test/helpers/stream-sink.js";
import { relayStream } from "./relay.js";
import type { UpstreamResponse } from "./upstream.js";

function upstreamOf(chunks: string[]): UpstreamResponse {
  const body = (async function* () {
    for (const c of chunks) yield Buffer.from(c);
  })();
  return {
    status: 200,
    headers: { "content-type": "text/event-stream" },
    body: Object.assign(body, {
      bytes: async () => Buffer.alloc(0),
      text: async () => "",
      destroy: () => {},
      dump: async () => {},
    }),
    mapError: (e) => e,
  };
}

describe("relayStream", () => {
  it("forwards only complete events per write, for LF and CRLF streams, and flushes the rest at the end", async () => {
    const { sink, writes, ended } = streamSink();
    await relayStream({
      response: upstreamOf([
        "data: a\n\ndata: b",
        "\n\n",
        "data: c\r\n\r\ndata: d\r",
        "\n\r\n",
        "tail",
      ]),
      sink,
      dialect: "openai",
    });
    expect(writes).toEqual([
      "data: a\n\n",
      "data: b\n\n",
      "data: c\r\n\r\n",
      "data: d\r\n\r\n",
      "tail",
    ]);
    expect(ended()).toBe(true);
  });

  it("reads usage from the stream after relaying it", async () => {
    const { sink } = streamSink();
    const usage = await relayStream({
      response: upstreamOf([
        'data: {"choices":[]}\n\n',
        'data: {"usage":{"prompt_tokens":9,"completion_tokens":4}}\n\ndata: [DONE]\n\n',
      ]),
      sink,
      dialect: "openai",
    });
    expect(usage).toEqual({ inputTokens: 9, outputTokens: 4 });
  });
});
