import { describe, expect, it } from "vitest";
import { createRequestLogRing, type RequestLogEntry } from "./request-log.js";

const entry = (n: number, backend = "a", status = 200): RequestLogEntry => ({
  time: "t",
  id: String(n),
  method: "POST",
  path: "/v1/messages",
  backend,
  status,
  latencyMs: 1,
});

describe("createRequestLogRing", () => {
  it("keeps the last entries in order and counts by backend and status", () => {
    const ring = createRequestLogRing(3);
    for (let i = 1; i <= 5; i++) ring.add(entry(i, i % 2 === 0 ? "b" : "a", i === 5 ? 429 : 200));
    expect(ring.last(10).map((e) => e.id)).toEqual(["3", "4", "5"]);
    expect(ring.last(2).map((e) => e.id)).toEqual(["4", "5"]);
    expect(ring.total()).toBe(5);
    expect(ring.counts()).toEqual({ a: { "200": 2, "429": 1 }, b: { "200": 2 } });
  });
});
