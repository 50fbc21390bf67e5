import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveSessionKey, type SessionKeyInput } from "./session-key.js";

const anthropic = (body: unknown, headers: SessionKeyInput["headers"] = {}): SessionKeyInput => ({
  headers,
  body,
  dialect: "anthropic",
});
const openai = (body: unknown, headers: SessionKeyInput["headers"] = {}): SessionKeyInput => ({
  headers,
  body,
  dialect: "openai",
});

describe("deriveSessionKey precedence", () => {
  const everything = {
    metadata: { user_id: "meta-user" },
    user: "oa-user",
    prompt_cache_key: "cache-key",
    messages: [{ role: "user", content: "hi" }],
  };

  it("prefers x-session-id over everything, case-insensitively", () => {
    const headers = { "X-Session-ID": "sess-1", "x-claude-code-session-id": "cc-1" };
    expect(deriveSessionKey(anthropic(everything, headers))).toEqual({
      key: "sess-1",
      source: "header",
    });
  });

  it("uses x-claude-code-session-id next", () => {
    const headers = { "X-Claude-Code-Session-Id": "cc-1" };
    expect(deriveSessionKey(anthropic(everything, headers))).toEqual({
      key: "cc-1",
      source: "claude-code-header",
    });
  });

  it("takes the first non-empty value of a repeated header and trims it", () => {
    const headers = { "x-session-id": ["", "  two  ", "three"] };
    expect(deriveSessionKey(openai({}, headers)).key).toBe("two");
  });

  it("skips blank headers", () => {
    const headers = { "x-session-id": "   ", "x-claude-code-session-id": undefined };
    expect(deriveSessionKey(anthropic(everything, headers)).source).toBe("metadata-user-id");
  });

  it("uses Anthropic metadata.user_id for the anthropic dialect only", () => {
    expect(deriveSessionKey(anthropic(everything))).toEqual({
      key: "meta-user",
      source: "metadata-user-id",
    });
    expect(deriveSessionKey(openai(everything)).source).toBe("user");
  });

  it("uses OpenAI user, then prompt_cache_key", () => {
    expect(deriveSessionKey(openai({ user: "u1", prompt_cache_key: "k1" }))).toEqual({
      key: "u1",
      source: "user",
    });
    expect(deriveSessionKey(openai({ prompt_cache_key: "k1" }))).toEqual({
      key: "k1",
      source: "prompt-cache-key",
    });
    // OpenAI fields mean nothing on an Anthropic request.
    expect(deriveSessionKey(anthropic({ user: "u1" })).source).toBe("content-hash");
  });

  it("hashes identifiers longer than maxKeyLength", () => {
    const long = "x".repeat(300);
    const { key, source } = deriveSessionKey(openai({}, { "x-session-id": long }));
    expect(source).toBe("header");
    expect(key).toMatch(/^h:[0-9a-f]{16}$/);
    expect(deriveSessionKey(openai({}, { "x-session-id": long }), { maxKeyLength: 400 }).key).toBe(
      long,
    );
  });
});

describe("deriveSessionKey content hash", () => {
  const conversation = {
    system: [{ type: "text", text: "You are helpful.", cache_control: { type: "ephemeral" } }],
    messages: [
      { role: "user", content: [{ type: "text", text: "Plan a trip" }] },
      { role: "assistant", content: "Sure" },
      { role: "user", content: "to Rome" },
    ],
  };

  it("is stable as the conversation grows and ignores cache_control moves", () => {
    const first = deriveSessionKey(
      anthropic({ ...conversation, messages: [conversation.messages[0]] }),
    );
    const later = deriveSessionKey(
      anthropic({
        ...conversation,
        system: [{ type: "text", text: "You are helpful." }],
      }),
    );
    expect(first.source).toBe("content-hash");
    expect(first.key).toMatch(/^[0-9a-f]{16}$/);
    expect(later.key).toBe(first.key);
  });

  it("differs when the system prompt or the first user message differs", () => {
    const base = deriveSessionKey(anthropic(conversation)).key;
    expect(deriveSessionKey(anthropic({ ...conversation, system: "Other" })).key).not.toBe(base);
    const otherFirst = { ...conversation, messages: [{ role: "user", content: "Plan a party" }] };
    expect(deriveSessionKey(anthropic(otherFirst)).key).not.toBe(base);
  });

  it("reads OpenAI system and developer messages before the first user message", () => {
    const body = {
      messages: [
        { role: "system", content: "sys" },
        { role: "developer", content: [{ type: "text", text: "dev" }] },
        { role: "user", content: "hello" },
      ],
    };
    const key = deriveSessionKey(openai(body)).key;
    const noDev = { messages: [body.messages[0], body.messages[2]] };
    expect(deriveSessionKey(openai(noDev)).key).not.toBe(key);
    expect(deriveSessionKey(openai(structuredClone(body))).key).toBe(key);
  });

  it("includes non-text blocks by their JSON", () => {
    const image = { type: "image", source: { type: "base64", data: "AAAA" } };
    const a = deriveSessionKey(anthropic({ messages: [{ role: "user", content: [image] }] }));
    const b = deriveSessionKey(anthropic({ messages: [{ role: "user", content: [] }] }));
    expect(a.key).not.toBe(b.key);
  });

  it("accepts an injected hash such as SHA-256", () => {
    const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
    const { key } = deriveSessionKey(anthropic(conversation), { hash: sha256 });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("deriveSessionKey robustness", () => {
  it("never throws on junk input", () => {
    const cyclic: Record<string, unknown> = { type: "weird" };
    cyclic.self = cyclic;
    const junk: unknown[] = [
      null,
      undefined,
      42,
      "body",
      [],
      { messages: "nope" },
      { messages: [null, 1, { role: "user", content: [cyclic] }] },
      { metadata: "x", system: 5 },
      { metadata: { user_id: 7 }, user: {}, prompt_cache_key: [] },
    ];
    for (const body of junk) {
      for (const dialect of ["openai", "anthropic", "other"] as const) {
        const result = deriveSessionKey({ headers: {}, body, dialect: dialect as "openai" });
        expect(result.source).toBe("content-hash");
      }
    }
    expect(deriveSessionKey(null as unknown as SessionKeyInput).source).toBe("content-hash");
  });

  it("returns a string key for arbitrary values (property)", () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.anything(),
        fc.constantFrom("openai", "anthropic"),
        (h, b, d) => {
          const result = deriveSessionKey({
            headers: h as SessionKeyInput["headers"],
            body: b,
            dialect: d,
          });
          expect(typeof result.key).toBe("string");
          expect(result.key.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
