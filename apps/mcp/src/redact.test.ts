import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "./redact.js";

describe("createRedactor", () => {
  const redact = createRedactor({ secrets: ["proxy-client-key-123", undefined, ""] });

  it("replaces strings and objects under secret-looking names, keeps booleans and numbers", () => {
    const out = redact({
      name: "groq",
      hasKey: true,
      apiKey: "whatever",
      api_key: "x",
      "x-api-key": "y",
      Authorization: "z",
      accessToken: "t",
      refresh_token: "r",
      clientSecret: "s",
      password: "p",
      credentials: { user: "u", pass: "p" },
      inputTokens: 12,
      outputTokens: 3,
      key: "groq",
    });
    expect(out).toEqual({
      name: "groq",
      hasKey: true,
      apiKey: REDACTED,
      api_key: REDACTED,
      "x-api-key": REDACTED,
      Authorization: REDACTED,
      accessToken: REDACTED,
      refresh_token: REDACTED,
      clientSecret: REDACTED,
      password: REDACTED,
      credentials: REDACTED,
      inputTokens: 12,
      outputTokens: 3,
      key: "groq",
    });
  });

  it("removes the configured secret wherever it occurs, names included", () => {
    const out = redact({
      note: "key is proxy-client-key-123!",
      list: ["proxy-client-key-123"],
      "proxy-client-key-123": 1,
    });
    expect(JSON.stringify(out)).not.toContain("proxy-client-key-123");
    expect(out.note).toBe(`key is ${REDACTED}!`);
  });

  it("removes key-shaped values under innocent names", () => {
    const samples = [
      "sk-ant-api03-abcdefghijkl",
      "sk-proj-ABCDEFGH12345",
      "gsk_abcdefgh12345678",
      "xai-abcdefgh1234",
      "AIzaSyA1234567890abcdefghijklmnop",
      "Bearer eyJhbGciOiJIUzI1NiJ9.abc",
      "ghp_abcdefghijklmnop",
    ];
    for (const s of samples) {
      expect(
        JSON.stringify(redact({ baseUrl: `http://x/?q=${s}`, nested: [{ v: s }] })),
      ).not.toContain(s.slice(4));
    }
  });

  it("leaves ordinary data alone and does not mutate its input", () => {
    const input = {
      backends: [{ name: "openai", baseUrl: "https://api.openai.com/v1", weight: 1 }],
    };
    const copy = structuredClone(input);
    expect(redact(input)).toEqual(copy);
    expect(input).toEqual(copy);
    expect(redact(null)).toBeNull();
    expect(redact("plain text")).toBe("plain text");
  });
});
