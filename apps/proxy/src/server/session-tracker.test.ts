import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import {
  createSessionTracker,
  type RequestSession,
  type SessionTracker,
} from "./session-tracker.js";

/** `tracker.identify` for a request known to carry a key. */
function identify(
  tracker: SessionTracker,
  input: Parameters<SessionTracker["identify"]>[0],
): RequestSession {
  const session = tracker.identify(input);
  if (session === undefined) throw new Error("expected a session");
  return session;
}

const body = (first: string, ...more: string[]) => ({
  system: "Be brief.",
  messages: [first, ...more].map((content, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content,
  })),
});

describe("createSessionTracker", () => {
  it("hashes every key, so a raw client id never appears", () => {
    const tracker = createSessionTracker();
    const session = identify(tracker, {
      headers: { "x-session-id": "alice-private-id" },
      body: body("hi"),
      dialect: "anthropic",
    });
    expect(session.source).toBe("header");
    expect(session.key).toMatch(/^[0-9a-f]{32}$/);
    expect(session.logKey).toBe(session.key.slice(0, 12));
    tracker.record(session, "pooled", { status: 200, target: "a" });
    expect(JSON.stringify(tracker.status())).not.toContain("alice");
    expect(JSON.stringify(tracker.registry.export())).not.toContain("alice");
  });

  it("keeps one key as a conversation grows, and sources stay apart", () => {
    const tracker = createSessionTracker();
    const turn1 = identify(tracker, { headers: {}, body: body("plan"), dialect: "anthropic" });
    const turn2 = identify(tracker, {
      headers: {},
      body: body("plan", "ok", "more"),
      dialect: "anthropic",
    });
    expect(turn2.key).toBe(turn1.key);
    expect(turn1.source).toBe("content-hash");
    const claude = identify(tracker, {
      headers: { "x-claude-code-session-id": "s-1" },
      body: body("plan"),
      dialect: "anthropic",
    });
    expect(claude.source).toBe("claude-code-header");
    expect(claude.key).not.toBe(turn1.key);
    expect(tracker.status().bySource).toEqual({ "content-hash": 2, "claude-code-header": 1 });
  });

  it("counts requests and tokens per session, last backend and target, and expires idle ones", () => {
    let now = 1_000_000;
    const tracker = createSessionTracker({ idleTimeoutMs: 60_000, now: () => now });
    const s = identify(tracker, { headers: { "x-session-id": "x" }, body: {}, dialect: "openai" });
    tracker.record(s, "pooled", { status: 200, target: "a", usage: { inputTokens: 10 } });
    now += 1000;
    tracker.record(s, "pooled", {
      status: 200,
      target: "b",
      usage: { inputTokens: 5, outputTokens: 7 },
    });
    expect(tracker.status()).toMatchObject({
      active: 1,
      seen: 1,
      recent: [
        {
          key: s.logKey,
          requests: 2,
          inputTokens: 15,
          outputTokens: 7,
          backend: "pooled",
          target: "b",
        },
      ],
    });
    now += 61_000;
    expect(tracker.status().active).toBe(0);
  });

  it("records a request with one registry call, and counts a session again once it expired", () => {
    let now = 1_000_000;
    const tracker = createSessionTracker({ idleTimeoutMs: 60_000, now: () => now });
    const has = vi.spyOn(tracker.registry, "has");
    const s = identify(tracker, { headers: { "x-session-id": "x" }, body: {}, dialect: "openai" });
    tracker.record(s, "pooled", { status: 200 });
    tracker.record(s, "pooled", { status: 200 });
    expect(tracker.status().seen).toBe(1);
    now += 61_000;
    tracker.record(s, "pooled", { status: 200 });
    expect(tracker.status()).toMatchObject({ seen: 2, recent: [{ requests: 1 }] });
    expect(has).not.toHaveBeenCalled();
  });

  it("has no session for a request with nothing to recognise a conversation by", () => {
    const tracker = createSessionTracker();
    expect(tracker.identify({ headers: {}, body: { messages: [] }, dialect: "openai" })).toBe(
      undefined,
    );
    expect(tracker.status().bySource).toEqual({});
  });

  it("hashes a text seen before only once, and remembers a bounded number of short texts", () => {
    const hashed: string[] = [];
    const sha256 = (text: string) => {
      hashed.push(text);
      return createHash("sha256").update(text).digest("hex");
    };
    const tracker = createSessionTracker({ sha256 });
    const plain = createSessionTracker();
    const turn = (id: string) => ({
      headers: { "x-session-id": id },
      body: body("hi"),
      dialect: "anthropic" as const,
    });
    const first = identify(tracker, turn("alice"));
    expect(identify(tracker, turn("alice"))).toEqual(first);
    expect(first).toEqual(identify(plain, turn("alice")));
    expect(hashed).toHaveLength(1);
    // Content hashes go through the same memo.
    const content = { headers: {}, body: body("plan"), dialect: "anthropic" as const };
    expect(identify(tracker, content)).toEqual(identify(plain, content));
    identify(tracker, content);
    expect(hashed).toHaveLength(2);
    // Long texts are not remembered (each costs its length in memory).
    const long = "x".repeat(5000);
    identify(tracker, turn(long.slice(0, 250)));
    identify(tracker, { headers: {}, body: body(long), dialect: "anthropic" });
    identify(tracker, { headers: {}, body: body(long), dialect: "anthropic" });
    expect(hashed.filter((t) => t.length > 1024)).toHaveLength(2);
    // Bounded: after 600 other ids the first is hashed again, with the same digest.
    for (let i = 0; i < 600; i++) identify(tracker, turn(`user-${i}`));
    const before = hashed.length;
    expect(identify(tracker, turn("alice"))).toEqual(first);
    expect(hashed).toHaveLength(before + 1);
  });

  it("takes back the count of a request refused before it went upstream", () => {
    const tracker = createSessionTracker();
    const kept = identify(tracker, { headers: {}, body: body("plan"), dialect: "anthropic" });
    tracker.record(kept, "an", { status: 200 });
    const before = tracker.status();
    const refused = identify(tracker, { headers: {}, body: body("other"), dialect: "anthropic" });
    const byHeader = identify(tracker, {
      headers: { "x-session-id": "s-1" },
      body: body("plan"),
      dialect: "anthropic",
    });
    tracker.withdraw(refused);
    tracker.withdraw(byHeader);
    expect(tracker.status()).toEqual(before);
    expect(before.bySource).toEqual({ "content-hash": 1 });
  });
});
