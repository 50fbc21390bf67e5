import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../server/request-log.js";
import { createRequestWindow } from "./request-window.js";

const NOW = Date.parse("2026-12-06T12:00:00.000Z");
const entry = (id: string, msAgo: number): RequestLogEntry => ({
  id,
  time: new Date(NOW - msAgo).toISOString(),
  method: "POST",
  path: "/v1/chat/completions",
  status: 200,
  latencyMs: 10,
});

describe("createRequestWindow", () => {
  it("adds each request once across overlapping refreshes", () => {
    const w = createRequestWindow({ keepMs: 60_000 });
    expect(w.add([entry("a", 3000), entry("b", 2000)])).toBe(2);
    expect(w.add([entry("b", 2000), entry("c", 1000)])).toBe(1);
    expect(w.latest(2).map((e) => e.id)).toEqual(["c", "b"]);
    expect(w.all().map((e) => e.id)).toEqual(["a", "b", "c"]);
  });

  it("forgets what finished before the window and bounds its size", () => {
    const w = createRequestWindow({ keepMs: 60_000, max: 3 });
    w.add([entry("old", 120_000), entry("a", 3000), entry("b", 2000), entry("c", 1000)]);
    expect(w.all().map((e) => e.id)).toEqual(["a", "b", "c"]);
    w.add([entry("d", 500)]);
    w.prune(NOW + 59_000);
    expect(w.all().map((e) => e.id)).toEqual(["c", "d"]);
  });
});
