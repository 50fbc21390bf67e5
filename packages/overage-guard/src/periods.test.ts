import { describe, expect, it } from "vitest";
import { periodEnd, periodKey, periodStart } from "./periods.js";

describe("periods (UTC)", () => {
  const t = Date.parse("2026-12-31T23:59:59.999Z");

  it("keys days and months in UTC", () => {
    expect(periodKey("day", t)).toBe("2026-12-31");
    expect(periodKey("month", t)).toBe("2026-12");
    expect(periodKey("total", t)).toBe("total");
    expect(periodKey("day", t + 1)).toBe("2027-01-01");
  });

  it("computes start and exclusive end across a year boundary", () => {
    expect(new Date(periodStart("day", t)).toISOString()).toBe("2026-12-31T00:00:00.000Z");
    expect(new Date(periodEnd("day", t)).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(new Date(periodStart("month", t)).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(new Date(periodEnd("month", t)).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(periodEnd("total", t)).toBe(Number.POSITIVE_INFINITY);
    expect(periodStart("total", t)).toBe(0);
  });
});
