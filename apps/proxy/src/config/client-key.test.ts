import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { weakClientKeyReason } from "./client-key.js";

describe("weakClientKeyReason", () => {
  it.each([
    ["x", "1 character long"],
    ["changeme", "8 characters long"],
    ["sk-1234", "7 characters long"],
    ["   ", "whitespace"],
    [" sk-canary-cli-7f3a9c1e5b2d4f6a8c0e", "whitespace"],
    ["sk-canary-cli-7f3a9c1e5b2d4f6a8c0e\n", "whitespace"],
    ["changeme-changeme-changeme", "placeholder"],
    ["your-api-key-goes-here-12", "placeholder"],
    ["sk-12345678901234567890123456", "placeholder"],
    ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "pattern"],
    ["abcdefghijklmnopqrstuvwxyz", "pattern"],
    ["abababababababababababababab", "pattern"],
  ])("refuses %j: %s", (key, why) => {
    expect(weakClientKeyReason(key)).toContain(why);
  });

  it("accepts random keys as openssl or node make them, and a key with a word in it", () => {
    for (let i = 0; i < 50; i++) {
      expect(weakClientKeyReason(randomBytes(32).toString("hex"))).toBeUndefined();
      expect(weakClientKeyReason(randomBytes(18).toString("base64url"))).toBeUndefined();
    }
    expect(weakClientKeyReason("sk-canary-cli-7f3a9c1e5b2d4f6a8c0e")).toBeUndefined();
    expect(weakClientKeyReason("team-secret-3f9a8b7c6d5e4f3a2b1c")).toBeUndefined();
  });

  it("never repeats the key in its reason", () => {
    const key = "changeme-changeme-changeme";
    expect(weakClientKeyReason(key)).not.toContain(key);
  });
});
