import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCliLine } from "../cli-runner/cli-lines.js";
import type { ClaudeCliEvent } from "./cli-events.js";
import {
  isClaudeQuotaExhaustedMessage,
  matchClaudeQuotaText,
  quotaSignalFromCliEvent,
  toIsoTime,
} from "./quota-matcher.js";

const fixtures = join(import.meta.dirname, "__fixtures__");

/** The stream-json lines of a recorded CLI run. */
function recorded(name: string): ClaudeCliEvent[] {
  return readFileSync(join(fixtures, name), "utf8")
    .split("\n")
    .map(parseCliLine)
    .filter((e): e is ClaudeCliEvent => e !== undefined);
}

const messages = readFileSync(join(fixtures, "subscription-limit-messages.txt"), "utf8")
  .split("\n")
  .filter((l) => l.length > 0 && !l.startsWith("#"))
  .map((l) => l.split("\t") as [string, string]);

describe("matchClaudeQuotaText", () => {
  it.each(messages)("classifies %s: %s", (kind, text) => {
    const match = matchClaudeQuotaText(text);
    expect(match?.kind ?? "none").toBe(kind);
    expect(isClaudeQuotaExhaustedMessage(text)).toBe(kind === "exhausted");
  });

  it("reads the reset time of the legacy `usage limit reached|<epoch>` form", () => {
    expect(matchClaudeQuotaText("Claude AI usage limit reached|1795300000")).toMatchObject({
      kind: "exhausted",
      resetsAt: "2026-11-21T22:26:40.000Z",
    });
  });

  it("flags paid extra usage for the overage guard", () => {
    expect(matchClaudeQuotaText("You're out of extra usage · resets Dec 1 (UTC)")).toMatchObject({
      window: "overage",
      overage: true,
    });
    expect(matchClaudeQuotaText("You're now using extra usage")?.overage).toBe(true);
    expect(matchClaudeQuotaText("You've hit your session limit")?.overage).toBeUndefined();
  });

  it("matches the CLI's message inside an error line, after an `API Error:` prefix", () => {
    expect(matchClaudeQuotaText("API Error: You've hit your weekly limit · resets 5pm")?.kind).toBe(
      "exhausted",
    );
  });
});

describe("quotaSignalFromCliEvent on recorded CLI output", () => {
  it("finds nothing in a successful run (the answer text is not a signal)", () => {
    expect(recorded("stream-text.jsonl").map(quotaSignalFromCliEvent).filter(Boolean)).toEqual([]);
  });

  it("sees each api_retry on HTTP 429 as a transient rate limit, not exhaustion", () => {
    const signals = recorded("api-retry-429.jsonl").map(quotaSignalFromCliEvent).filter(Boolean);
    expect(signals.length).toBeGreaterThan(3);
    expect(new Set(signals.map((s) => s?.kind))).toEqual(new Set(["rate-limited"]));
  });

  it("does not call a plain API 429 or a missing login an exhausted subscription", () => {
    for (const name of ["rate-limited-429.jsonl", "not-logged-in.jsonl"]) {
      const kinds = recorded(name).map((e) => quotaSignalFromCliEvent(e)?.kind);
      expect(kinds).not.toContain("exhausted");
    }
  });

  it("reads exhaustion from a failed result's text", () => {
    const event = {
      type: "result",
      is_error: true,
      result: "You're out of extra usage · resets 4am (UTC)",
    };
    expect(quotaSignalFromCliEvent(event)).toMatchObject({ kind: "exhausted", source: "message" });
  });

  it("reads rate_limit_event windows (the CLI's rate_limit_info shape)", () => {
    const rejected = quotaSignalFromCliEvent({
      type: "rate_limit_event",
      rate_limit_info: { status: "rejected", resetsAt: 1795300000, rateLimitType: "five_hour" },
    });
    expect(rejected).toMatchObject({
      kind: "exhausted",
      window: "five_hour",
      resetsAt: "2026-11-21T22:26:40.000Z",
      source: "rate-limit-event",
    });
    const warning = quotaSignalFromCliEvent({
      type: "rate_limit_event",
      rate_limit_info: { status: "allowed_warning", utilization: 0.92, rateLimitType: "seven_day" },
    });
    expect(warning).toMatchObject({ kind: "warning", utilization: 0.92, window: "seven_day" });
    expect(
      quotaSignalFromCliEvent({ type: "rate_limit_event", rate_limit_info: { status: "allowed" } })
        ?.kind,
    ).toBe("ok");
    expect(quotaSignalFromCliEvent({ type: "rate_limit_event" })).toBeUndefined();
  });
});

describe("toIsoTime", () => {
  it("accepts unix seconds, milliseconds and digit strings; rejects junk", () => {
    expect(toIsoTime(1795300000)).toBe("2026-11-21T22:26:40.000Z");
    expect(toIsoTime(1795300000000)).toBe("2026-11-21T22:26:40.000Z");
    expect(toIsoTime("1795300000")).toBe("2026-11-21T22:26:40.000Z");
    expect(toIsoTime("soon")).toBeUndefined();
    expect(toIsoTime(-1)).toBeUndefined();
  });
});
