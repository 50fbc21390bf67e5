import { describe, expect, it, vi } from "vitest";
import type { EvictionReason, SessionEntry } from "./expiry.js";
import { SessionError } from "./session-error.js";
import { createSessionRegistry } from "./session-registry.js";

function setup(options: { idleTimeoutMs?: number; maxAgeMs?: number; maxSessions?: number } = {}) {
  const clock = { t: 1_000 };
  const evicted: Array<[string, EvictionReason]> = [];
  const registry = createSessionRegistry({
    idleTimeoutMs: 100,
    maxAgeMs: 1_000,
    maxSessions: 3,
    ...options,
    now: () => clock.t,
    onEvict: (entry, reason) => evicted.push([entry.key, reason]),
  });
  return { clock, evicted, registry };
}

describe("createSessionRegistry", () => {
  it("creates on touch and refreshes lastSeenAt", () => {
    const { clock, registry } = setup();
    const created = registry.touch("a");
    expect(created).toMatchObject({ key: "a", createdAt: 1000, lastSeenAt: 1000, requests: 0 });
    clock.t = 1050;
    expect(registry.touch("a")).toMatchObject({ createdAt: 1000, lastSeenAt: 1050 });
    expect(registry.size).toBe(1);
  });

  it("keeps LRU order when the newest session is touched again and again", () => {
    const { evicted, registry } = setup({ maxSessions: 2 });
    registry.record("a");
    registry.record("b");
    registry.record("b");
    registry.record("b");
    registry.record("a"); // now b is the least recently used
    registry.record("a");
    registry.record("c");
    expect(evicted).toEqual([["b", "lru"]]);
    expect(registry.snapshot().sessions.map((s) => s.key)).toEqual(["c", "a"]);
    expect(registry.get("a")?.requests).toBe(3);
  });

  it("has() tells whether a live session is held, without touching it", () => {
    const { clock, registry } = setup();
    registry.touch("a");
    expect(registry.has("a")).toBe(true);
    expect(registry.has("nope")).toBe(false);
    clock.t = 1050;
    expect(registry.get("a")?.lastSeenAt).toBe(1000);
    clock.t = 1200; // idle past 100 ms
    expect(registry.has("a")).toBe(false);
    expect(registry.size).toBe(0);
  });

  it("get does not refresh and returns undefined for unknown keys", () => {
    const { clock, registry } = setup();
    registry.touch("a");
    clock.t = 1050;
    expect(registry.get("a")?.lastSeenAt).toBe(1000);
    expect(registry.get("nope")).toBeUndefined();
  });

  it("records usage, last backend and target", () => {
    const { registry } = setup();
    registry.record("a", { inputTokens: 10, outputTokens: 5, backend: "groq", target: "g1" });
    const entry = registry.record("a", { inputTokens: 3, target: "g2" });
    expect(entry).toMatchObject({
      requests: 2,
      inputTokens: 13,
      outputTokens: 5,
      lastBackend: "groq",
      lastTarget: "g2",
    });
    expect(registry.record("a", { requests: 0 }).requests).toBe(2);
  });

  it("recordCount records like record and returns the request count, copying nothing", () => {
    const { registry } = setup();
    expect(registry.recordCount("a", { inputTokens: 10, backend: "groq", target: "g1" })).toBe(1);
    const before = registry.get("a");
    expect(registry.recordCount("a", { outputTokens: 4, target: "g2" })).toBe(2);
    expect(registry.recordCount("a", { requests: 0 })).toBe(2);
    expect(() => registry.recordCount("a", { inputTokens: -1 })).toThrow(SessionError);
    expect(registry.get("a")).toMatchObject({
      requests: 2,
      inputTokens: 10,
      outputTokens: 4,
      lastBackend: "groq",
      lastTarget: "g2",
    });
    // What `get` returned earlier is a copy: later records do not change it.
    expect(before?.requests).toBe(1);
  });

  it("rejects bad usage and keys without changing state", () => {
    const { registry } = setup();
    registry.record("a");
    expect(() => registry.record("a", { inputTokens: -1 })).toThrow(SessionError);
    expect(() => registry.record("a", { outputTokens: Number.NaN })).toThrow(/finite/);
    expect(() => registry.touch("")).toThrow(SessionError);
    expect(() => registry.setData("a", [] as unknown as Record<string, unknown>)).toThrow(
      /plain object/,
    );
    expect(registry.get("a")?.requests).toBe(1);
  });

  it("merges data and removes fields set to undefined", () => {
    const { registry } = setup();
    registry.setData("a", { claudeSession: "s-1", turns: 1 });
    const entry = registry.setData("a", { turns: undefined, model: "m" });
    expect(entry.data).toEqual({ claudeSession: "s-1", model: "m" });
  });

  it("returns copies that cannot change stored state", () => {
    const { registry } = setup();
    const entry = registry.setData("a", { x: 1 });
    entry.requests = 99;
    entry.data.x = 2;
    expect(registry.get("a")).toMatchObject({ requests: 0, data: { x: 1 } });
  });

  it("expires idle sessions lazily on access", () => {
    const { clock, evicted, registry } = setup();
    registry.record("a");
    clock.t += 100;
    expect(registry.get("a")).toBeUndefined();
    expect(evicted).toEqual([["a", "idle"]]);
    // A touch after expiry starts a fresh session.
    expect(registry.record("a")).toMatchObject({ requests: 1, createdAt: 1100 });
  });

  it("expires sessions past maxAge even when busy", () => {
    const { clock, evicted, registry } = setup();
    registry.record("a");
    for (let i = 0; i < 10; i++) {
      clock.t += 99;
      registry.touch("a");
    }
    clock.t = 2_000;
    expect(registry.touch("a").createdAt).toBe(2_000);
    expect(evicted).toEqual([["a", "max-age"]]);
  });

  it("evicts the least recently used session at the cap", () => {
    const { clock, evicted, registry } = setup();
    for (const key of ["a", "b", "c"]) {
      registry.touch(key);
      clock.t += 1;
    }
    registry.touch("a"); // a is now most recent; b is least recent.
    registry.touch("d");
    expect(evicted).toEqual([["b", "lru"]]);
    expect(registry.snapshot().sessions.map((s) => s.key)).toEqual(["d", "a", "c"]);
  });

  it("reports an expired oldest session as expired when it makes room", () => {
    const { clock, evicted, registry } = setup();
    registry.touch("a");
    clock.t += 60;
    registry.touch("b");
    registry.touch("c");
    clock.t += 50;
    registry.touch("d");
    expect(evicted).toEqual([["a", "idle"]]);
  });

  it("sweep drops every expired session and nothing live", () => {
    const { clock, evicted, registry } = setup();
    registry.touch("a");
    clock.t += 60;
    registry.touch("b");
    clock.t += 50;
    expect(registry.sweep()).toEqual([{ key: "a", reason: "idle" }]);
    expect(evicted).toEqual([["a", "idle"]]);
    expect(registry.size).toBe(1);
    expect(registry.sweep()).toEqual([]);
  });

  it("delete removes a session and reports it", () => {
    const { evicted, registry } = setup();
    registry.touch("a");
    expect(registry.delete("a")).toBe(true);
    expect(registry.delete("a")).toBe(false);
    expect(evicted).toEqual([["a", "deleted"]]);
  });

  it("snapshot lists live sessions, most recent first, without expired ones", () => {
    const { clock, registry } = setup();
    registry.touch("a");
    clock.t += 60;
    registry.touch("b");
    clock.t += 50;
    const snap = registry.snapshot();
    expect(snap.size).toBe(1);
    expect(snap.sessions.map((s) => s.key)).toEqual(["b"]);
    expect(snap.config.maxSessions).toBe(3);
  });
});

describe("export / import", () => {
  it("round-trips through JSON", () => {
    const { registry } = setup();
    registry.record("a", { inputTokens: 5, backend: "anthropic", target: "t1" });
    registry.setData("b", { claudeSession: "x" });
    const json = JSON.parse(JSON.stringify(registry.export()));
    const other = setup().registry;
    expect(other.import(json)).toBe(2);
    expect(other.export()).toEqual(registry.export());
  });

  it("keeps LRU order by lastSeenAt and lets imported entries replace held ones", () => {
    const { clock, evicted, registry } = setup();
    registry.touch("held");
    const entry = (key: string, lastSeenAt: number): SessionEntry => ({
      key,
      createdAt: 900,
      lastSeenAt,
      requests: 1,
      inputTokens: 0,
      outputTokens: 0,
      data: {},
    });
    clock.t = 1_010;
    const count = registry.import({
      version: 1,
      sessions: [entry("x", 1_005), entry("held", 1_008), entry("y", 950), entry("z", 1_001)],
    });
    // The cap is 3, so the least recently seen ("y") is evicted.
    expect(count).toBe(3);
    expect(evicted).toEqual([["y", "lru"]]);
    expect(registry.snapshot().sessions.map((s) => s.key)).toEqual(["held", "x", "z"]);
    expect(registry.get("held")?.requests).toBe(1);
  });

  it("drops imported sessions that have already expired", () => {
    const { registry } = setup();
    const stale = {
      key: "s",
      createdAt: 0,
      lastSeenAt: 10,
      requests: 1,
      inputTokens: 0,
      outputTokens: 0,
      data: {},
    };
    expect(registry.import({ version: 1, sessions: [stale] })).toBe(0);
    expect(registry.size).toBe(0);
  });

  it.each([
    [null, /object/],
    [{ version: 2, sessions: [] }, /version/],
    [{ version: 1, sessions: {} }, /array/],
    [{ version: 1, sessions: [5] }, /sessions\[0\] must be an object/],
    [{ version: 1, sessions: [{ key: "" }] }, /key/],
    [{ version: 1, sessions: [{ key: "a", createdAt: "x" }] }, /createdAt/],
    [
      {
        version: 1,
        sessions: [
          {
            key: "a",
            createdAt: 1,
            lastSeenAt: 1,
            requests: 0,
            inputTokens: 0,
            outputTokens: 0,
            lastTarget: 3,
          },
        ],
      },
      /lastTarget/,
    ],
    [
      {
        version: 1,
        sessions: [
          {
            key: "a",
            createdAt: 1,
            lastSeenAt: 1,
            requests: 0,
            inputTokens: 0,
            outputTokens: 0,
            data: [],
          },
        ],
      },
      /data/,
    ],
  ])("rejects %j with invalid-import and changes nothing", (data, message) => {
    const { registry } = setup();
    registry.touch("keep");
    try {
      registry.import(data);
      expect.unreachable();
    } catch (error) {
      expect((error as SessionError).code).toBe("invalid-import");
      expect((error as Error).message).toMatch(message);
    }
    expect(registry.snapshot().sessions.map((s) => s.key)).toEqual(["keep"]);
  });

  it("stays consistent when onEvict throws, and reports it as a process warning", () => {
    const emitWarning = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const registry = createSessionRegistry({
        maxSessions: 1,
        onEvict: () => {
          throw new TypeError("listener bug");
        },
      });
      registry.record("a", { requests: 1 });
      registry.record("b", { requests: 1 });
      expect(registry.size).toBe(1);
      expect(registry.has("b")).toBe(true);
      expect(registry.has("a")).toBe(false);
      expect(emitWarning).toHaveBeenCalledWith(
        "@switchyard/session: onEvict threw: TypeError",
        "SessionRegistryWarning",
      );
    } finally {
      emitWarning.mockRestore();
    }
  });
});
