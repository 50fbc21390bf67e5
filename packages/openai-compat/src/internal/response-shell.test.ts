import { describe, expect, it } from "vitest";
import { responsesId } from "./response-shell.js";

describe("responsesId", () => {
  it("is the prefix and 32 hex digits, different every time, across pool refills", () => {
    const ids = new Set<string>();
    // 256 ids per draw of the random pool: this crosses several draws.
    for (let i = 0; i < 2000; i++) {
      const id = responsesId("resp_");
      expect(id).toMatch(/^resp_[0-9a-f]{32}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
    expect(responsesId("msg_")).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it("writes each prefix whole, whatever the length of the one before", () => {
    for (const prefix of ["resp_", "fc_", "call_", "", "rs_", "resp_", "a_longer_prefix_", "m"]) {
      expect(responsesId(prefix)).toMatch(new RegExp(`^${prefix}[0-9a-f]{32}$`));
    }
  });

  it("spreads its digits evenly (random bytes, not a counter)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      for (const digit of responsesId("").slice(0, 8))
        counts.set(digit, (counts.get(digit) ?? 0) + 1);
    }
    // 4000 digits over 16 values: each near 250; a counter or a stuck pool would be far off.
    expect(counts.size).toBe(16);
    for (const n of counts.values()) expect(n).toBeGreaterThan(150);
  });
});
