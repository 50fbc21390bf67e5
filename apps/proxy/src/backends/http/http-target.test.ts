import { describe, expect, it } from "vitest";
import { backendSecrets, createTargetUrls, joinUrl, resolveTargets } from "./http-target.js";

describe("backendSecrets", () => {
  it("holds every target's key, header values and the credential parts of its URLs", () => {
    const config = {
      type: "openai" as const,
      headers: { "x-org-token": "org-token-value" },
      targets: [
        { baseUrl: "https://user:url-password-1@a.example/v1", apiKey: "key-a-123456" },
        { baseUrl: "https://b.example/v1?api-key=query-secret-2&region=eu" },
      ],
    };
    const secrets = backendSecrets(config, resolveTargets("b", config));
    for (const secret of ["key-a-123456", "url-password-1", "query-secret-2", "org-token-value"]) {
      expect(secrets).toContain(secret);
    }
    expect(secrets).not.toContain("eu");
  });
});

describe("createTargetUrls", () => {
  it("builds each target's URL for a path once and hands out that same string after", () => {
    let built = 0;
    const urlOf = createTargetUrls((target, path) => {
      built += 1;
      return `${target.baseUrl}${path}`;
    });
    const [a, b] = resolveTargets("b", {
      type: "openai",
      targets: [{ baseUrl: "https://a.example/v1/" }, { baseUrl: "https://b.example/v1" }],
    });
    if (a === undefined || b === undefined) throw new Error("two targets expected");
    const first = urlOf(a, "/chat/completions");
    expect(first).toBe("https://a.example/v1/chat/completions");
    // A path made anew at run time finds the same string.
    expect(urlOf(a, ["/chat", "completions"].join("/"))).toBe(first);
    expect(urlOf(a, "/responses")).toBe("https://a.example/v1/responses");
    expect(urlOf(b, "/chat/completions")).toBe("https://b.example/v1/chat/completions");
    expect(built).toBe(3);
  });
});

describe("joinUrl", () => {
  it("puts the path before the base URL's query (a key in ?code=), and merges a path's own query", () => {
    expect(joinUrl("https://a.example/v1", "/chat/completions")).toBe(
      "https://a.example/v1/chat/completions",
    );
    expect(joinUrl("https://fn.example/api?code=K1&x=2", "/chat/completions")).toBe(
      "https://fn.example/api/chat/completions?code=K1&x=2",
    );
    expect(joinUrl("https://fn.example/api/?code=K1#frag", "/models?limit=100")).toBe(
      "https://fn.example/api/models?limit=100&code=K1",
    );
    expect(joinUrl("https://a.example/v1#frag", "/models")).toBe("https://a.example/v1/models");
  });
});
