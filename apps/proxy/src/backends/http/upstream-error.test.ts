import { describe, expect, it } from "vitest";
import { redactMessage } from "./upstream-error.js";

describe("redactMessage", () => {
  it("removes the backend's own keys and key-shaped tokens", () => {
    expect(redactMessage("bad key abcd1234efgh", ["abcd1234efgh"])).toBe("bad key [redacted]");
    expect(redactMessage("Incorrect API key provided: sk-proj-abcdef123456", [])).toBe(
      "Incorrect API key provided: [redacted]",
    );
    expect(redactMessage("plain message", [])).toBe("plain message");
  });

  it("caps very long messages", () => {
    expect(redactMessage("word ".repeat(500), []).length).toBeLessThanOrEqual(1001);
  });
});
