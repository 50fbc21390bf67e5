import { describe, expect, it } from "vitest";
import { createJsonDepthTracker } from "./json-depth.js";

function completeAfter(fragments: string[]): boolean[] {
  const tracker = createJsonDepthTracker();
  return fragments.map((f) => {
    tracker.feed(f);
    return tracker.complete;
  });
}

describe("createJsonDepthTracker", () => {
  it("is complete only once the top-level object closes", () => {
    expect(completeAfter(["", '{"a":', ' [1, {"b": 2}]', "}"])).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it("ignores braces and escaped quotes inside strings", () => {
    expect(completeAfter(['{"s": "}{\\"', '}"', "}"])).toEqual([false, false, true]);
  });

  it("tracks an escape split across fragments", () => {
    expect(completeAfter(['{"s": "\\', '"}', '"}'])).toEqual([false, false, true]);
  });
});
