import { describe, expect, it } from "vitest";
import type { ResponseSink } from "../types.js";
import { relayStream } from "./relay.js";
import type { UpstreamResponse } from "./upstream.js";

/** A sink that records each write. */
function recordingSink() {
  const writes: string[] = [];
  let ended = false;
  const sink: ResponseSink = {
    json: () => {},
    bytes: () => {},
    startStream: () => {},
    write: async (chunk) => {
      writes.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
    },
    end: () => {
      ended = true;
    },
    started: true,
    closed: false,
  };
  return { sink, writes, ended: () => ended };
}

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
    const { sink, writes, ended } = recordingSink();
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
    const { sink } = recordingSink();
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
