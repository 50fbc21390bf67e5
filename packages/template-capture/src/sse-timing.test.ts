import { describe, expect, it } from "vitest";
import { splitSseEvents, timeSseEvents } from "./sse-timing.js";

describe("timeSseEvents", () => {
  it("marks each event with the chunk that completed it, across chunk boundaries", () => {
    const { text, events } = timeSseEvents([
      { offsetMs: 0, text: "event: a\ndata: 1\n\nevent: b\n" },
      { offsetMs: 12.34, text: "data: 2\n" },
      { offsetMs: 20, text: "\nevent: c\ndata: 3\n\n" },
    ]);
    expect(text).toBe("event: a\ndata: 1\n\nevent: b\ndata: 2\n\nevent: c\ndata: 3\n\n");
    expect(events).toEqual([
      { offsetMs: 0, end: 18 },
      { offsetMs: 20, end: 36 },
      { offsetMs: 20, end: 54 },
    ]);
  });

  it("keeps a stream cut short as a final event", () => {
    const { events } = timeSseEvents([
      { offsetMs: 1, text: "data: 1\r\n\r\n" },
      { offsetMs: 2, text: "data: 2" },
    ]);
    expect(events).toEqual([
      { offsetMs: 1, end: 11 },
      { offsetMs: 2, end: 18 },
    ]);
  });

  it("round-trips through splitSseEvents", () => {
    const chunks = [
      { offsetMs: 0, text: "data: a\n\ndata: b\n\n" },
      { offsetMs: 7, text: "data: c\n\n" },
    ];
    const { text, events } = timeSseEvents(chunks);
    expect(splitSseEvents(text, events)).toEqual([
      { offsetMs: 0, text: "data: a\n\n" },
      { offsetMs: 0, text: "data: b\n\n" },
      { offsetMs: 7, text: "data: c\n\n" },
    ]);
    expect(splitSseEvents(text, undefined)).toEqual([{ offsetMs: 0, text }]);
  });
});
