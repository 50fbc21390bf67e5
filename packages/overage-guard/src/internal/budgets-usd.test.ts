import { describe, expect, it } from "vitest";
import { usd } from "./budgets.js";

describe("usd", () => {
  it("shows dollars and cents, four decimals under a dollar", () => {
    expect(usd(0)).toBe("$0.00");
    expect(usd(10.421)).toBe("$10.42");
    expect(usd(0.0177)).toBe("$0.0177");
  });

  it("never rounds a tiny non-zero amount to $0.0000", () => {
    expect(usd(0.00004)).toBe("$0.000040");
    expect(usd(0.000001)).toBe("$0.0000010");
    expect(`${usd(0.00003)} spent of ${usd(0.00002)}`).toBe("$0.000030 spent of $0.000020");
  });
});
