import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../server/request-log.js";
import { createRecentRequests } from "./recent-requests.js";

const entry = (id: string): RequestLogEntry => ({
  id,
  time: "2026-12-06T12:00:00.000Z",
  method: "POST",
  path: "/v1/chat/completions",
  status: 200,
  latencyMs: 10,
});

describe("createRecentRequests", () => {
  it("keeps requests the proxy's ring has since dropped, each once, newest first", () => {
    const recent = createRecentRequests();
    recent.add([entry("a"), entry("b")]);
    recent.add([entry("b"), entry("c")]);
    recent.add([]); // the ring now holds only admin calls
    expect(recent.list().map((e) => e.id)).toEqual(["c", "b", "a"]);
  });

  it("holds at most max, dropping the oldest", () => {
    const recent = createRecentRequests(2);
    recent.add([entry("a"), entry("b"), entry("c")]);
    expect(recent.list().map((e) => e.id)).toEqual(["c", "b"]);
  });
});
