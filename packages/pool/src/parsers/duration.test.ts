import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["6m0s", 360_000],
    ["1s", 1_000],
    ["20ms", 20],
    ["1h2m3.5s", 3_723_500],
    ["7.66s", 7_660],
    ["2m59.56s", 179_560],
    ["0s", 0],
    ["0", 0],
    ["1.5", 1_500],
    ["500us", 0.5],
    ["1m30ms", 60_030],
    [" 3s ", 3_000],
    [".5s", 500],
    ["1.5h", 5_400_000],
    ["2µs", 0.002],
    ["3ns", 0.000003],
  ])("parses %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each([
    undefined,
    "",
    "abc",
    "5x",
    "1s garbage",
    "-1s",
    "s",
    "1m-2s",
    ".",
    ".s",
    "1h2",
    "3mx",
    "1 s",
  ])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
