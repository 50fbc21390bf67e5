import { describe, expect, it } from "vitest";
import { validateConfigFile } from "../config/validate.js";

const FILE = "/home/u/.switchyard/config.json";
const check = (auth: unknown, extra: Record<string, unknown> = {}): string => {
  try {
    validateConfigFile(
      { backends: { gw: { type: "openai", baseUrl: "https://gw.example/v1", auth, ...extra } } },
      FILE,
    );
  } catch (error) {
    return (error as Error).message;
  }
  return "valid";
};
const ok = { type: "oidc", issuer: "https://login.example.com", clientId: "my-client" };

describe("backends.<name>.auth (OIDC)", () => {
  it("accepts a well-formed block", () => {
    expect(check(ok)).toBe("valid");
    expect(
      check({ ...ok, clientSecret: "env:GW_SECRET", scopes: ["api"], flow: "client_credentials" }),
    ).toBe("valid");
  });

  it.each([
    [{ ...ok, type: "saml" }, 'backends.gw.auth.type must be one of "oidc", got "saml"'],
    [{ ...ok, issuer: "login.example.com" }, "backends.gw.auth.issuer must be an http(s) URL"],
    [{ ...ok, clientId: "" }, 'backends.gw.auth.clientId must be a non-empty string, got ""'],
    [{ ...ok, scopes: "api" }, "backends.gw.auth.scopes must be an array of non-empty strings"],
    [
      { ...ok, flow: "implicit" },
      'backends.gw.auth.flow must be one of "pkce", "device", "client_credentials"',
    ],
    [
      { ...ok, flow: "client_credentials" },
      "backends.gw.auth.clientSecret is required for flow client_credentials",
    ],
    [
      { ...ok, clientSecret: "env:bad-name" },
      'backends.gw.auth.clientSecret must be a key or "env:NAME"',
    ],
    ["oidc", 'backends.gw.auth must be an object, got "oidc"'],
  ])("names the field: %j", (auth, message) => {
    expect(check(auth)).toContain(message);
  });

  it("refuses apiKey next to auth on an openai backend (both would set Authorization)", () => {
    expect(check(ok, { apiKey: "env:GW_KEY" })).toContain(
      "backends.gw.apiKey cannot be combined with auth",
    );
  });

  it("never echoes a literal client secret in an error", () => {
    const message = check({ ...ok, clientSecret: "sy-canary-secret-0123456789", scopes: 3 });
    expect(message).toContain("backends.gw.auth.scopes");
    expect(message).not.toContain("sy-canary-secret");
  });
});
