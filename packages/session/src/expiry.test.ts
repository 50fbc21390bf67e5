import { describe, expect, it } from "vitest";
import {
  expiryReason,
  isExpired,
  pickEvictions,
  resolveSessionConfig,
  type SessionEntry,
} from "./expiry.js";
import { SessionError } from "./session-error.js";

const config = { idleTimeoutMs: 100, maxAgeMs: 1000, maxSessions: 3 };
const entry = (key: string, createdAt: number, lastSeenAt: number): SessionEntry => ({
  key,
  createdAt,
  lastSeenAt,
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  data: {},
});

describe("resolveSessionConfig", () => {
  it("fills defaults", () => {
    expect(resolveSessionConfig()).toEqual({
      idleTimeoutMs: 1_800_000,
      maxAgeMs: 86_400_000,
      maxSessions: 10_000,
    });
  });

  it("accepts Infinity to disable a limit", () => {
    expect(resolveSessionConfig({ idleTimeoutMs: Infinity }).idleTimeoutMs).toBe(Infinity);
  });

  it.each([
    { idleTimeoutMs: 0 },
    { maxAgeMs: -1 },
    { idleTimeoutMs: Number.NaN },
    { maxSessions: 0 },
    { maxSessions: 1.5 },
  ])("rejects %j with invalid-option", (options) => {
    try {
      resolveSessionConfig(options);
      expect.unreachable();
    } catch (error) {
      expect(SessionError.isInstance(error)).toBe(true);
      expect((error as SessionError).code).toBe("invalid-option");
    }
  });
});

describe("expiryReason / isExpired", () => {
  it("is live inside both limits", () => {
    expect(expiryReason(entry("a", 0, 50), 149, config)).toBeUndefined();
    expect(isExpired(entry("a", 0, 50), 149, config)).toBe(false);
  });

  it("expires when idle for idleTimeoutMs (boundary inclusive)", () => {
    expect(expiryReason(entry("a", 0, 50), 150, config)).toBe("idle");
    expect(isExpired(entry("a", 0, 50), 150, config)).toBe(true);
  });

  it("expires at maxAgeMs even when busy", () => {
    expect(expiryReason(entry("a", 0, 990), 1000, config)).toBe("max-age");
  });

  it("reports idle first when both apply", () => {
    expect(expiryReason(entry("a", 0, 0), 5000, config)).toBe("idle");
  });
});

describe("pickEvictions", () => {
  it("evicts nothing when under the cap and nothing expired", () => {
    const entries = [entry("a", 0, 10), entry("b", 0, 20)];
    expect(pickEvictions({ entries, now: 30, config })).toEqual([]);
  });

  it("evicts expired entries wherever they are", () => {
    const entries = [entry("a", 0, 10), entry("b", 500, 950), entry("c", 0, 990)];
    expect(pickEvictions({ entries, now: 1000, config })).toEqual([
      { key: "a", reason: "idle" },
      { key: "c", reason: "max-age" },
    ]);
  });

  it("evicts the least recently used live entries beyond the cap", () => {
    const entries = ["a", "b", "c", "d"].map((k, i) => entry(k, 0, i));
    expect(pickEvictions({ entries, now: 5, config })).toEqual([{ key: "a", reason: "lru" }]);
  });

  it("makes room for incoming entries", () => {
    const entries = ["a", "b", "c"].map((k, i) => entry(k, 0, i));
    expect(pickEvictions({ entries, now: 5, config, incoming: 2 })).toEqual([
      { key: "a", reason: "lru" },
      { key: "b", reason: "lru" },
    ]);
  });

  it("counts expired evictions towards the room needed", () => {
    const entries = [entry("old", 0, 0), ...["b", "c", "d"].map((k) => entry(k, 0, 90))];
    expect(pickEvictions({ entries, now: 100, config })).toEqual([{ key: "old", reason: "idle" }]);
  });

  it("never evicts more live entries than exist", () => {
    const entries = [entry("a", 0, 0)];
    expect(pickEvictions({ entries, now: 1, config, incoming: 10 })).toEqual([
      { key: "a", reason: "lru" },
    ]);
  });
});
