import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createClaudeSessionStore,
  fingerprintConversation,
  sharedClaudeSessionStore,
} from "./session-store.js";

describe("fingerprintConversation", () => {
  const turn = [
    { role: "user", content: "hi" },
    { role: "assistant", content: [{ type: "text", text: "Hello! " }] },
  ];

  it("matches a re-sent answer as a string, trimmed, or without its thinking", () => {
    const base = fingerprintConversation("sys", turn);
    expect(
      fingerprintConversation("sys", [
        { role: "user", content: [{ type: "text", text: "hi" }] },
        { role: "assistant", content: "Hello!" },
      ]),
    ).toBe(base);
    expect(
      fingerprintConversation("sys", [
        turn[0] as { role: string; content: unknown },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "s" },
            { type: "text", text: "Hello!" },
          ],
        },
      ]),
    ).toBe(base);
  });

  it("treats an answer's text blocks and the same text as one string alike", () => {
    const blocks = [
      {
        role: "assistant",
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
    ];
    expect(fingerprintConversation("", blocks)).toBe(
      fingerprintConversation("", [{ role: "assistant", content: "ab" }]),
    );
  });

  it("differs by system prompt, role, text and order", () => {
    const base = fingerprintConversation("sys", turn);
    expect(fingerprintConversation("other", turn)).not.toBe(base);
    expect(fingerprintConversation("sys", [...turn].reverse())).not.toBe(base);
    expect(
      fingerprintConversation("sys", [{ role: "user", content: "hi!" }, turn[1] as never]),
    ).not.toBe(base);
    expect(fingerprintConversation("sys", turn.slice(0, 1))).not.toBe(base);
  });

  it("keeps non-text blocks (images) in the fingerprint", () => {
    const image = (data: string) => ({
      role: "user",
      content: [{ type: "image", source: { type: "base64", media_type: "image/png", data } }],
    });
    expect(fingerprintConversation("", [image("AAAA")])).not.toBe(
      fingerprintConversation("", [image("BBBB")]),
    );
  });
});

describe("createClaudeSessionStore", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "switchyard-ccs-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("persists fingerprint → session id to a 0600 file that survives a restart", async () => {
    const store = createClaudeSessionStore({ home: dir });
    await store.load();
    expect(store.lookup("abc")).toBeUndefined();
    await store.remember("abc", "0ba8deba-6e33-49cd-b948-cedad6c11fa6");
    const file = join(dir, "claude-code-sessions.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8")).version).toBe(1);
    const restarted = createClaudeSessionStore({ home: dir });
    await restarted.load();
    expect(restarted.lookup("abc")).toBe("0ba8deba-6e33-49cd-b948-cedad6c11fa6");
  });

  it("forgets idle conversations", async () => {
    let now = 1_000_000;
    const store = createClaudeSessionStore({ home: dir, idleTimeoutMs: 1000, now: () => now });
    await store.remember("abc", "s1");
    now += 1001;
    expect(store.lookup("abc")).toBeUndefined();
  });

  it("is one store per file for every backend, so none overwrites another's conversations", async () => {
    const a = sharedClaudeSessionStore({ home: dir });
    const b = sharedClaudeSessionStore({ home: join(dir, ".") });
    expect(b.store).toBe(a.store);
    await a.store.load();
    await b.store.load();
    await a.store.remember("claude\u0000fp1", "s-a");
    await b.store.remember("claudelong\u0000fp2", "s-b");
    const saved = readFileSync(join(dir, "claude-code-sessions.json"), "utf8");
    expect(saved).toContain("s-a");
    expect(saved).toContain("s-b");
    // Once every backend let go, the next server reads the file afresh.
    a.release();
    b.release();
    const next = sharedClaudeSessionStore({ home: dir });
    expect(next.store).not.toBe(a.store);
    await next.store.load();
    expect(next.store.lookup("claudelong\u0000fp2")).toBe("s-b");
    next.release();
  });

  it("starts empty on a corrupt file instead of failing", async () => {
    writeFileSync(join(dir, "claude-code-sessions.json"), "{oops");
    const store = createClaudeSessionStore({ home: dir });
    await store.load();
    expect(store.registry.size).toBe(0);
  });
});
