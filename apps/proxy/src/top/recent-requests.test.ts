import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../server/request-log.js";
import { createRecentRequests } from "./recent-requests.js";

const entry = (id: string, time = "2026-12-06T12:00:00.000Z"): RequestLogEntry => ({
  id,
  time,
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

  it("keeps time order when the table is filled after newer events arrived", () => {
    const recent = createRecentRequests(3);
    recent.add([entry("new", "2026-12-06T12:00:05.000Z")]); // from the event stream
    // then GET /requests, older ones included
    recent.add([
      entry("old1", "2026-12-06T12:00:01.000Z"),
      entry("old2", "2026-12-06T12:00:02.000Z"),
      entry("old3", "2026-12-06T12:00:03.000Z"),
      entry("new", "2026-12-06T12:00:05.000Z"),
    ]);
    expect(recent.list().map((e) => e.id)).toEqual(["new", "old3", "old2"]);
  });
});
