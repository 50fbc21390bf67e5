import { describe, expect, it } from "vitest";
import { redactBackend, redactUrl } from "./redact.js";
import { isLoopbackHost } from "./security.js";

describe("isLoopbackHost", () => {
  it("accepts loopback names only", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.2", "example.com", "128.0.0.1"])
      expect(isLoopbackHost(h)).toBe(false);
  });
});

describe("redaction", () => {
  it("strips userinfo and query from URLs and never shows keys or header values", () => {
    expect(redactUrl("https://user:pw@api.example.com/v1/?key=abc")).toBe(
      "https://api.example.com/v1",
    );
    const shown = redactBackend({
      type: "openai",
      baseUrl: "https://api.example.com/v1",
      apiKey: "sk-secret",
      headers: { "x-org": "org-secret" },
      targets: [{ baseUrl: "https://a.example", apiKey: "sk-t" }],
    });
    const text = JSON.stringify(shown);
    expect(text).not.toContain("secret");
    expect(text).not.toContain("sk-t");
    expect(shown).toMatchObject({
      hasKey: true,
      headerNames: ["x-org"],
      targets: [{ hasKey: true }],
    });
  });
});
