import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DeriveSessionKeyOptions,
  deriveSessionKey,
  type SessionKey,
  type SessionKeyInput,
} from "./session-key.js";

/** `deriveSessionKey` where the request is known to carry a key. */
function derive(input: SessionKeyInput, options?: DeriveSessionKeyOptions): SessionKey {
  const key = deriveSessionKey(input, options);
  if (key === undefined) throw new Error("expected a session key");
  return key;
}

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
    expect(derive(anthropic(everything, headers))).toEqual({
      key: "sess-1",
      source: "header",
    });
  });

  it("uses x-claude-code-session-id next", () => {
    const headers = { "X-Claude-Code-Session-Id": "cc-1" };
    expect(derive(anthropic(everything, headers))).toEqual({
      key: "cc-1",
      source: "claude-code-header",
    });
  });

  it("takes the first non-empty value of a repeated header and trims it", () => {
    const headers = { "x-session-id": ["", "  two  ", "three"] };
    expect(derive(openai({}, headers)).key).toBe("two");
  });

  it("skips blank headers", () => {
    const headers = { "x-session-id": "   ", "x-claude-code-session-id": undefined };
    expect(derive(anthropic(everything, headers)).source).toBe("metadata-user-id");
  });

  it("uses Anthropic metadata.user_id for the anthropic dialect only", () => {
    expect(derive(anthropic(everything))).toEqual({
      key: "meta-user",
      source: "metadata-user-id",
    });
    expect(derive(openai(everything)).source).toBe("user");
  });

  it("uses OpenAI user, then prompt_cache_key", () => {
    expect(derive(openai({ user: "u1", prompt_cache_key: "k1" }))).toEqual({
      key: "u1",
      source: "user",
    });
    expect(derive(openai({ prompt_cache_key: "k1" }))).toEqual({
      key: "k1",
      source: "prompt-cache-key",
    });
    // OpenAI fields mean nothing on an Anthropic request, which then carries no key at all.
    expect(deriveSessionKey(anthropic({ user: "u1" }))).toBeUndefined();
  });

  it("hashes identifiers longer than maxKeyLength", () => {
    const long = "x".repeat(300);
    const { key, source } = derive(openai({}, { "x-session-id": long }));
    expect(source).toBe("header");
    expect(key).toMatch(/^h:[0-9a-f]{16}$/);
    expect(derive(openai({}, { "x-session-id": long }), { maxKeyLength: 400 }).key).toBe(long);
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
    const first = derive(anthropic({ ...conversation, messages: [conversation.messages[0]] }));
    const later = derive(
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
    const base = derive(anthropic(conversation)).key;
    expect(derive(anthropic({ ...conversation, system: "Other" })).key).not.toBe(base);
    const otherFirst = { ...conversation, messages: [{ role: "user", content: "Plan a party" }] };
    expect(derive(anthropic(otherFirst)).key).not.toBe(base);
  });

  it("reads OpenAI system and developer messages before the first user message", () => {
    const body = {
      messages: [
        { role: "system", content: "sys" },
        { role: "developer", content: [{ type: "text", text: "dev" }] },
        { role: "user", content: "hello" },
      ],
    };
    const key = derive(openai(body)).key;
    const noDev = { messages: [body.messages[0], body.messages[2]] };
    expect(derive(openai(noDev)).key).not.toBe(key);
    expect(derive(openai(structuredClone(body))).key).toBe(key);
  });

  it("includes non-text blocks by their JSON", () => {
    const image = { type: "image", source: { type: "base64", data: "AAAA" } };
    const a = derive(anthropic({ messages: [{ role: "user", content: [image, "see"] }] }));
    const b = derive(anthropic({ messages: [{ role: "user", content: ["see"] }] }));
    expect(a.key).not.toBe(b.key);
    // …without their cache_control markers, which clients move from turn to turn.
    const marked = { ...image, cache_control: { type: "ephemeral" } };
    const c = derive(anthropic({ messages: [{ role: "user", content: [marked, "see"] }] }));
    expect(c.key).toBe(a.key);
  });

  it("has no key for a request with nothing to recognise, and reads Responses bodies", () => {
    for (const body of [
      {},
      { messages: [] },
      { messages: [{ role: "assistant", content: "x" }] },
    ]) {
      expect(deriveSessionKey(openai(body))).toBeUndefined();
      expect(deriveSessionKey(anthropic(body))).toBeUndefined();
    }
    const responses = derive(openai({ instructions: "Be brief.", input: "Plan a trip" }));
    const items = derive(
      openai({
        instructions: "Be brief.",
        input: [{ role: "user", content: [{ type: "input_text", text: "Plan a trip" }] }],
      }),
    );
    expect(responses.source).toBe("content-hash");
    expect(items.key).toBe(responses.key);
    expect(derive(openai({ input: "Other trip" })).key).not.toBe(responses.key);
    expect(derive(openai({ prompt: "Once upon a time" })).source).toBe("content-hash");
  });

  it("hashes the same text as before: system parts joined by newlines, NUL, first user text", () => {
    // Keys are stored (registry, usage log, pool bindings): the hashed text must not change.
    const text = { hash: (s: string) => s };
    const body = {
      instructions: "inst",
      messages: [
        { role: "system", content: "sys" },
        { role: "developer", content: [{ type: "text", text: "dev" }] },
        { role: "user", content: "hello" },
      ],
    };
    expect(derive(openai(body), text).key).toBe("inst\nsys\ndev\u0000hello");
    expect(derive(openai({ messages: [{ role: "user", content: "hi" }] }), text).key).toBe(
      "\u0000hi",
    );
    const system = {
      system: "s",
      messages: [
        { role: "system", content: "x" },
        { role: "user", content: "u" },
      ],
    };
    expect(derive(anthropic(system), text).key).toBe("s\u0000u");
    const other = { headers: {}, body, dialect: "other" } as unknown as SessionKeyInput;
    expect(derive(other, text).key).toBe("\u0000hello");
  });

  it("with lowerCaseHeaders, reads the lower-case session headers only", () => {
    const options = { lowerCaseHeaders: true };
    const body = { messages: [{ role: "user", content: "hi" }] };
    expect(derive(openai(body, { "x-session-id": "s-1" }), options)).toEqual({
      key: "s-1",
      source: "header",
    });
    expect(derive(openai(body, { "x-claude-code-session-id": " c-1 " }), options)).toEqual({
      key: "c-1",
      source: "claude-code-header",
    });
    // Node never hands over such a name; without the option it is still matched.
    expect(derive(openai(body, { "X-Session-Id": "s-2" }), options).source).toBe("content-hash");
    expect(derive(openai(body, { "X-Session-Id": "s-2" })).key).toBe("s-2");
  });

  it("accepts an injected hash such as SHA-256", () => {
    const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
    const { key } = derive(anthropic(conversation), { hash: sha256 });
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
        expect(result === undefined || result.source === "content-hash").toBe(true);
      }
    }
    expect(deriveSessionKey(null as unknown as SessionKeyInput)).toBeUndefined();
  });

  it("returns no key or a non-empty string key for arbitrary values (property)", () => {
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
          // A key, when there is one, is a non-empty string.
          if (result !== undefined) {
            expect(typeof result.key).toBe("string");
            expect(result.key.length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});
