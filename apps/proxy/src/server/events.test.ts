import { describe, expect, it } from "vitest";
import { streamSink } from "../../test/helpers/stream-sink.js";
import {
  createEventHub,
  createEventsHandler,
  formatSseEvent,
  REQUEST_BATCH_MAX,
  REQUEST_BATCH_MS,
} from "./events.js";

const spend = {
  type: "spend" as const,
  time: 1,
  backend: "oa",
  model: "m",
  costUsd: 0.5,
  budgets: [],
};

describe("GET /events", () => {
  it("formats one SSE frame per event", () => {
    expect(formatSseEvent(spend)).toBe(`event: spend\ndata: ${JSON.stringify(spend)}\n\n`);
  });

  it("streams events and heartbeats, and drops its listener and timer when the client leaves", async () => {
    const hub = createEventHub();
    const handler = createEventsHandler({ hub, heartbeatMs: 10 });
    const { sink, writes: chunks, ended } = streamSink();
    const controller = new AbortController();
    const done = handler({
      req: {} as never,
      query: new URLSearchParams(),
      sink,
      signal: controller.signal,
    });
    expect(hub.size()).toBe(1);
    hub.publish(spend);
    // `spend` frames are batched: out within REQUEST_BATCH_MS.
    await new Promise((r) => setTimeout(r, REQUEST_BATCH_MS + 60));
    controller.abort();
    await done;
    expect(chunks[0]).toBe(": switchyard events\n\n");
    expect(chunks).toContain(formatSseEvent(spend));
    expect(chunks.filter((c) => c === ": heartbeat\n\n").length).toBeGreaterThanOrEqual(2);
    expect(ended()).toBe(true);
    expect(hub.size()).toBe(0);
    const count = chunks.length;
    hub.publish(spend);
    await new Promise((r) => setTimeout(r, 25));
    expect(chunks.length).toBe(count);
  });

  it("?requests=1 batches request frames into one write and counts what a burst drops", async () => {
    const hub = createEventHub();
    const handler = createEventsHandler({ hub });
    const { sink, writes } = streamSink();
    const controller = new AbortController();
    expect(hub.wantsRequests()).toBe(false);
    const done = handler({
      req: {} as never,
      query: new URLSearchParams("requests=1"),
      sink,
      signal: controller.signal,
    });
    expect(hub.wantsRequests()).toBe(true);
    const entry = { time: "", id: "r", method: "POST", path: "/v1/x", status: 200, latencyMs: 1 };
    for (let i = 0; i < REQUEST_BATCH_MAX + 50; i++) hub.publishRequest({ ...entry, id: `r${i}` });
    await new Promise((r) => setTimeout(r, REQUEST_BATCH_MS * 3));
    controller.abort();
    await done;
    expect(hub.wantsRequests()).toBe(false);
    const batches = writes.filter((w) => w.startsWith("event: request"));
    expect(batches).toHaveLength(1);
    expect(batches[0]?.split("event: request\n").length).toBe(REQUEST_BATCH_MAX + 1);
    expect(batches[0]).toContain('event: dropped\ndata: {"type":"dropped","count":50}');
    expect(batches[0]).toContain('data: {"type":"request","request":{"time":"","id":"r0"');
  });

  it("closeAll() ends every open stream", async () => {
    const hub = createEventHub();
    const handler = createEventsHandler({ hub });
    const a = streamSink();
    const b = streamSink();
    const signal = new AbortController().signal;
    const both = Promise.all([
      handler({ req: {} as never, query: new URLSearchParams(), sink: a.sink, signal }),
      handler({ req: {} as never, query: new URLSearchParams(), sink: b.sink, signal }),
    ]);
    expect(hub.size()).toBe(2);
    hub.closeAll();
    await both;
    expect([a.ended(), b.ended(), hub.size()]).toEqual([true, true, 0]);
  });

  it("a throwing listener is dropped without breaking the others", () => {
    const hub = createEventHub();
    const seen: string[] = [];
    hub.subscribe(() => {
      throw new Error("boom");
    });
    hub.subscribe((e) => seen.push(e.type));
    hub.publish(spend);
    hub.publish(spend);
    expect(seen).toEqual(["spend", "spend"]);
  });
});
