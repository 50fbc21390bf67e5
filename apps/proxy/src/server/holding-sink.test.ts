import { describe, expect, it } from "vitest";
import type { ResponseSink } from "../backends/types.js";
import { HoldingSink } from "./holding-sink.js";

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

describe("HoldingSink", () => {
  it("passes stream chunks through and holds end() until release()", async () => {
    const { sink, calls } = recordingSink();
    const holding = new HoldingSink(sink);
    holding.startStream(200, { "anthropic-ratelimit-unified-status": "allowed" });
    await holding.write("a");
    holding.end();
    expect(calls).toEqual(["stream 200", "write a"]);
    expect(holding.status).toBe(200);
    expect(holding.headers).toEqual({ "anthropic-ratelimit-unified-status": "allowed" });
    holding.release();
    expect(calls).toEqual(["stream 200", "write a", "end"]);
  });

  it("holds a whole JSON answer, reports it as started, and sends it once", () => {
    const { sink, calls } = recordingSink();
    const holding = new HoldingSink(sink);
    holding.json(201, { ok: true }, { "x-request-id": "r1" });
    expect(holding.started).toBe(true);
    holding.bytes(500, "ignored");
    expect(calls).toEqual([]);
    expect(holding.status).toBe(201);
    holding.release();
    holding.release();
    expect(calls).toEqual(["json 201"]);
  });

  it("release() with nothing held does nothing", () => {
    const { sink, calls } = recordingSink();
    new HoldingSink(sink).release();
    expect(calls).toEqual([]);
  });
});
