import { describe, expect, it } from "vitest";
import { fnv1a64 } from "./fnv1a64.js";

describe("fnv1a64", () => {
  // Reference vectors from the FNV specification (draft-eastlake-fnv).
  it.each([
    ["", "cbf29ce484222325"],
    ["a", "af63dc4c8601ec8c"],
    ["foobar", "85944171f73967e8"],
  ])("hashes %j to %s", (input, hex) => {
    expect(fnv1a64(input)).toBe(hex);
  });

  it("hashes non-ASCII text through UTF-8 and stays 16 hex digits", () => {
    const h = fnv1a64("héllo ✓ 日本");
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(h).not.toBe(fnv1a64("hello"));
    expect(fnv1a64("héllo ✓ 日本")).toBe(h);
  });
});
