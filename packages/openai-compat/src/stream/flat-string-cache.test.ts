import { describe, expect, it } from "vitest";
import { flatStringsByKey, flatStringsByNumber } from "./flat-string-cache.js";

describe("flatStringsByKey", () => {
  it("makes each kept key once, and any key past the bound on every call", () => {
    const made: string[] = [];
    const of = flatStringsByKey((key) => {
      made.push(key);
      return `<${key}>`;
    }, 2);
    expect([of("a"), of("b"), of("a"), of("c"), of("c"), of("b")]).toEqual([
      "<a>",
      "<b>",
      "<a>",
      "<c>",
      "<c>",
      "<b>",
    ]);
    expect(made).toEqual(["a", "b", "c", "c"]);
  });
});

describe("flatStringsByNumber", () => {
  it("keeps the numbers below the count, filled in order, and makes any other each time", () => {
    const made: number[] = [];
    const of = flatStringsByNumber((n) => {
      made.push(n);
      return `#${n}`;
    }, 4);
    expect([of(2), of(0), of(3), of(4), of(4), of(-1), of(1.5), of(1)]).toEqual([
      "#2",
      "#0",
      "#3",
      "#4",
      "#4",
      "#-1",
      "#1.5",
      "#1",
    ]);
    expect(made).toEqual([0, 1, 2, 3, 4, 4, -1, 1.5]);
  });
});
