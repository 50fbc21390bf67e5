import { describe, expect, it, vi } from "vitest";
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
  it("formats one SSE frame per event, its JSON as JSON.stringify writes it", () => {
    expect(formatSseEvent(spend)).toBe(`event: spend\ndata: ${JSON.stringify(spend)}\n\n`);
    const halt = {
      type: "halt" as const,
      time: 3,
      halt: { reason: 'a "quoted"\nreason', budget: { name: "b", limitUsd: 1 } } as never,
    };
    expect(formatSseEvent(halt)).toBe(`event: halt\ndata: ${JSON.stringify(halt)}\n\n`);
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

  /** Opens `GET /events` streams on one hub; `close()` ends them. */
  const open = (hub: ReturnType<typeof createEventHub>, queries: string[]) => {
    const handler = createEventsHandler({ hub });
    const controller = new AbortController();
    const sinks = queries.map(() => streamSink());
    const done = Promise.all(
      queries.map((q, i) =>
        handler({
          req: {} as never,
          query: new URLSearchParams(q),
          sink: sinks[i]?.sink as never,
          signal: controller.signal,
        }),
      ),
    );
    return {
      sinks,
      close: async () => {
        controller.abort();
        await done;
      },
    };
  };
  const entry = { time: "", id: "r", method: "POST", path: "/v1/x", status: 200, latencyMs: 1 };

  it("serialises each batch once for every stream: one write each, frames in order", async () => {
    const hub = createEventHub();
    const streams = open(hub, ["requests=1", "requests=1", ""]);
    // A budget list is the one member that goes through JSON.stringify: count those.
    const budgets = [{ name: "b", spentUsd: 1 }] as never;
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      for (let i = 0; i < 50; i++) {
        hub.publishRequest({ ...entry, id: `r${i}` }, `{"id":"r${i}"}`);
        hub.publish({ ...spend, costUsd: i, budgets });
      }
      await new Promise((r) => setTimeout(r, REQUEST_BATCH_MS * 3));
      // 50 spend events, each serialised once, not once per stream (150).
      expect(stringify).toHaveBeenCalledTimes(50);
    } finally {
      stringify.mockRestore();
    }
    const [a, b, guardOnly] = streams.sinks.map((s) => s.writes.slice(1));
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
    const frames = (a?.[0] ?? "").split("\n\n").filter(Boolean);
    expect(frames).toHaveLength(100);
    expect(frames[0]).toBe('event: request\ndata: {"type":"request","request":{"id":"r0"}}');
    const json = (i: number) => JSON.stringify({ ...spend, costUsd: i, budgets });
    expect(frames[1]).toBe(`event: spend\ndata: ${json(0)}`);
    expect(frames[99]).toBe(`event: spend\ndata: ${json(49)}`);
    // Without ?requests=1: the spend frames alone, in the same one write.
    expect(guardOnly).toEqual([
      Array.from({ length: 50 }, (_, i) => `event: spend\ndata: ${json(i)}\n\n`).join(""),
    ]);
    await streams.close();
  });

  it("sends a halt at once, after the frames batched before it", async () => {
    const hub = createEventHub();
    const streams = open(hub, ["requests=1"]);
    hub.publishRequest(entry, '{"id":"r"}');
    const halt = {
      type: "halt" as const,
      time: 2,
      halt: { reason: "budget", since: 2 } as never,
    };
    hub.publish(halt);
    const writes = streams.sinks[0]?.writes.slice(1);
    expect(writes).toEqual([
      'event: request\ndata: {"type":"request","request":{"id":"r"}}\n\n',
      formatSseEvent(halt),
    ]);
    await streams.close();
  });

  it("keeps nothing and builds no spend event while no one listens", async () => {
    const hub = createEventHub();
    expect(hub.wantsSpend()).toBe(false);
    const streams = open(hub, [""]);
    expect([hub.wantsSpend(), hub.wantsRequests()]).toEqual([true, false]);
    hub.publishRequest(entry, '{"id":"r"}'); // no stream asked for requests: not kept
    hub.publish(spend);
    await streams.close();
    expect(hub.wantsSpend()).toBe(false);
    // The spend pending when the last stream left is gone with it: a new stream starts clean.
    const again = open(hub, ["requests=1"]);
    await new Promise((r) => setTimeout(r, REQUEST_BATCH_MS * 2));
    expect(again.sinks[0]?.writes.slice(1)).toEqual([]);
    await again.close();
  });

  it("?spend=0 leaves out spend frames (and then keeps no spend event at all)", async () => {
    const hub = createEventHub();
    const streams = open(hub, ["requests=1&spend=0", ""]);
    expect(hub.wantsSpend()).toBe(true); // the second stream takes them
    hub.publishRequest(entry, '{"id":"r"}');
    hub.publish(spend);
    await new Promise((r) => setTimeout(r, REQUEST_BATCH_MS * 2));
    const [noSpend, guardOnly] = streams.sinks.map((s) => s.writes.slice(1));
    expect(noSpend).toEqual(['event: request\ndata: {"type":"request","request":{"id":"r"}}\n\n']);
    expect(guardOnly).toEqual([formatSseEvent(spend)]);
    await streams.close();
    const quiet = open(hub, ["requests=1&spend=0"]);
    expect([hub.wantsSpend(), hub.wantsRequests()]).toEqual([false, true]);
    hub.publish(spend);
    const halt = { type: "halt" as const, time: 2, halt: { reason: "r" } as never };
    hub.publish(halt); // a halt, warning or resume still goes out, at once
    expect(quiet.sinks[0]?.writes.slice(1)).toEqual([formatSseEvent(halt)]);
    await quiet.close();
  });
});
