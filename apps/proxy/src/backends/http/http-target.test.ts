import { describe, expect, it } from "vitest";
import { backendSecrets, resolveTargets } from "./http-target.js";

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
