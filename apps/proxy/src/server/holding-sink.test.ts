import { describe, expect, it } from "vitest";
import type { ResponseSink } from "../backends/types.js";
import { createHoldingSink } from "./holding-sink.js";

function recordingSink() {
  const calls: string[] = [];
  let started = false;
  const sink: ResponseSink = {
    json: (status) => {
      started = true;
      calls.push(`json ${status}`);
    },
    bytes: (status) => {
      started = true;
      calls.push(`bytes ${status}`);
    },
    startStream: (status) => {
      started = true;
      calls.push(`stream ${status}`);
    },
    write: async (chunk) => {
      calls.push(`write ${String(chunk)}`);
    },
    end: () => calls.push("end"),
    get started() {
      return started;
    },
    closed: false,
  };
  return { sink, calls };
}

describe("createHoldingSink", () => {
  it("passes stream chunks through and holds end() until release()", async () => {
    const { sink, calls } = recordingSink();
    const holding = createHoldingSink(sink);
    holding.sink.startStream(200, { "anthropic-ratelimit-unified-status": "allowed" });
    await holding.sink.write("a");
    holding.sink.end();
    expect(calls).toEqual(["stream 200", "write a"]);
    expect(holding.status()).toBe(200);
    expect(holding.headers()).toEqual({ "anthropic-ratelimit-unified-status": "allowed" });
    holding.release();
    expect(calls).toEqual(["stream 200", "write a", "end"]);
  });

  it("holds a whole JSON answer, reports it as started, and sends it once", () => {
    const { sink, calls } = recordingSink();
    const holding = createHoldingSink(sink);
    holding.sink.json(201, { ok: true }, { "x-request-id": "r1" });
    expect(holding.sink.started).toBe(true);
    holding.sink.bytes(500, "ignored");
    expect(calls).toEqual([]);
    expect(holding.status()).toBe(201);
    holding.release();
    holding.release();
    expect(calls).toEqual(["json 201"]);
  });

  it("release() with nothing held does nothing", () => {
    const { sink, calls } = recordingSink();
    createHoldingSink(sink).release();
    expect(calls).toEqual([]);
  });
});
