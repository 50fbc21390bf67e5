import { describe, expect, it } from "vitest";
import { isSecretName, looksLikeSecret, redactSecretsDeep } from "./secret-shape.js";

describe("isSecretName", () => {
  it.each([
    "apikey",
    "apiKey",
    "api_key",
    "x-api-key",
    "token",
    "authToken",
    "clientSecret",
    "password",
    "Authorization",
  ])("%s names a credential", (name) => expect(isSecretName(name)).toBe(true));
  it.each(["baseUrl", "maxTokensField", "model", "type", "timeoutMs", "binary", "monkey"])(
    "%s does not",
    (name) => expect(isSecretName(name)).toBe(false),
  );
});

describe("looksLikeSecret", () => {
  it.each([
    "sk-proj-abcdefghijklmnop1234",
    "sk-ant-api03-abcdefghijklmnopqrstu",
    "gsk_abcdefghijklmnopqrstuvwx12345",
    "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStU",
    "AKIAIOSFODNN7EXAMPLE",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
    "Bearer abcdefgh12345678",
    "Zq9c1e5b2d4f6a8c0e7f3aPk2LmN8vB4xR",
  ])("%s looks like a credential", (value) => expect(looksLikeSecret(value)).toBe(true));
  it.each([
    "https://api.openai.com/v1",
    "/home/me/.switchyard/config.json",
    "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "claude-3-5-sonnet-20241022",
    "max_completion_tokens",
    "echo",
    "env:OPENAI_API_KEY",
  ])("%s does not", (value) => expect(looksLikeSecret(value)).toBe(false));
});

describe("redactSecretsDeep", () => {
  it("redacts by name and by shape at any depth, keeping key sources and other values", () => {
    const out = redactSecretsDeep(
      {
        apiKey: "env:GROQ_API_KEY",
        apikey: "plain-but-named",
        nested: [{ token: "abc" }, { note: "sk-live-abcdefghijklmnop" }],
        model: "gpt-4o",
        port: 3456,
      },
      "[redacted]",
    );
    expect(out).toEqual({
      apiKey: "env:GROQ_API_KEY",
      apikey: "[redacted]",
      nested: [{ token: "[redacted]" }, { note: "[redacted]" }],
      model: "gpt-4o",
      port: 3456,
    });
  });
});
