import { describe, expect, it } from "vitest";
import { didYouMean, suggest } from "./suggest.js";

describe("suggest", () => {
  it("finds a case-insensitive match first", () => {
    expect(suggest("apikey", ["baseUrl", "apiKey", "headers"])).toBe("apiKey");
    expect(suggest("BASEURL", ["baseUrl", "apiKey"])).toBe("baseUrl");
  });
  it("finds the nearest candidate within a small edit distance", () => {
    expect(suggest("statsu", ["status", "resume", "proxy"])).toBe("status");
    expect(suggest("behaviour", ["enabled", "behavior", "cooldownMs"])).toBe("behavior");
    expect(suggest("opnai", ["openai", "anthropic", "groq"])).toBe("openai");
  });
  it("says nothing for a far-off input", () => {
    expect(suggest("banana", ["status", "proxy"])).toBeUndefined();
    expect(suggest("x", ["status"])).toBeUndefined();
    expect(didYouMean("banana", ["status"])).toBe("");
    expect(didYouMean("prxy", ["proxy"])).toBe(' (did you mean "proxy"?)');
  });
});
