import { describe, expect, it } from "vitest";
import { parseSince, periodStart } from "./usage-tool.js";

describe("usage periods (UTC, like `switchyard usage`)", () => {
  const now = new Date("2026-11-21T15:30:00Z"); // a Saturday

  it("today, week (Monday start) and month", () => {
    expect(periodStart("today", now).toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(periodStart("week", now).toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(periodStart("week", new Date("2026-11-16T00:00:00Z")).toISOString()).toBe(
      "2026-11-16T00:00:00.000Z",
    );
    expect(periodStart("week", new Date("2026-11-22T23:59:00Z")).toISOString()).toBe(
      "2026-11-16T00:00:00.000Z",
    );
    expect(periodStart("month", now).toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("since: durations back from now and ISO dates; nothing else", () => {
    expect(parseSince("24h", now)?.toISOString()).toBe("2026-11-20T15:30:00.000Z");
    expect(parseSince("2w", now)?.toISOString()).toBe("2026-11-07T15:30:00.000Z");
    expect(parseSince("90m", now)?.toISOString()).toBe("2026-11-21T14:00:00.000Z");
    expect(parseSince("2026-11-01", now)?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseSince("2026-11-01T09:00Z", now)?.toISOString()).toBe("2026-11-01T09:00:00.000Z");
    expect(parseSince("last tuesday", now)).toBeUndefined();
    expect(parseSince("1700000000", now)).toBeUndefined();
  });
});
