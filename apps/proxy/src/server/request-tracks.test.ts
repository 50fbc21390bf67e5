import { describe, expect, it } from "vitest";
import type { ResponseSink } from "../backends/types.js";
import { createRequestTracks } from "./guard-gate.js";

/** A sink that is never written to: only its identity matters here. */
const anySink = () => ({}) as ResponseSink;

describe("createRequestTracks", () => {
  it("keeps one track per sink, and none for a sink never tracked", () => {
    const tracks = createRequestTracks();
    const a = anySink();
    const b = anySink();
    tracks.set(a, { headers: { "x-a": "1" }, started: 1 });
    tracks.set(b, { headers: {}, started: 2 });
    expect(tracks.get(a)).toEqual({ headers: { "x-a": "1" }, started: 1 });
    expect(tracks.get(b)?.started).toBe(2);
    expect(tracks.get(anySink())).toBeUndefined();
  });

  it("returns the same object, so the gate's later fields reach the request log", () => {
    const tracks = createRequestTracks();
    const sink = anySink();
    tracks.set(sink, { headers: {}, started: 0 });
    const track = tracks.get(sink);
    if (track === undefined) throw new Error("no track");
    track.costUsd = 0.25;
    track.denied = "halted";
    expect(tracks.get(sink)).toMatchObject({ costUsd: 0.25, denied: "halted" });
  });

  it("leaves the sink's own keys and JSON alone", () => {
    const tracks = createRequestTracks();
    const sink = { kind: "test" } as unknown as ResponseSink;
    tracks.set(sink, { headers: {}, started: 0 });
    expect(Object.keys(sink)).toEqual(["kind"]);
    expect(JSON.stringify(sink)).toBe('{"kind":"test"}');
  });
});
