import { describe, expect, it } from "vitest";
import { sanitizeDeep, sanitizeText } from "./sanitize.js";

describe("sanitizeText", () => {
  it("neutralises CSI, OSC, C1 and bare controls", () => {
    const evil = "gpt-\u001b[31mred\u001b]0;pwned\u0007\u009b2J\r\nx\u007f";
    const out = sanitizeText(evil);
    expect(out).toBe("gpt-?[31mred?]0;pwned??2J??x?");
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it("neutralises bidi overrides and zero-width characters", () => {
    expect(sanitizeText("a\u202eb\u2066c\u200bd\ufeff")).toBe("a?b?c?d?");
  });

  it("keeps ordinary text, wide characters and emoji", () => {
    expect(sanitizeText("claude-sonnet-4 → 模型 🚀")).toBe("claude-sonnet-4 → 模型 🚀");
  });
});

describe("sanitizeDeep", () => {
  it("cleans every string, keys included, and leaves other values", () => {
    const out = sanitizeDeep({
      model: "m\u001b[2J",
      n: 3,
      ok: true,
      none: null,
      list: ["a\u0007", { "k\u001b": "v\u009b" }],
    });
    expect(out).toEqual({
      model: "m?[2J",
      n: 3,
      ok: true,
      none: null,
      list: ["a?", { "k?": "v?" }],
    });
  });
});
