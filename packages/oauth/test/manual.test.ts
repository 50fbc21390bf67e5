import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOAuthClient, parsePastedAnswer } from "../src/index.js";
import { createTestBrowser } from "./helpers/browser.js";
import { startTestProvider, type TestProvider } from "./helpers/provider.js";

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(() => provider.close());

const REDIRECT = "http://127.0.0.1:7/callback"; // nothing listens: the user copies the address

/** Plays the user on another machine: opens the URL, signs in, copies where the browser landed. */
async function landedAt(url: string): Promise<URL> {
  const page = await createTestBrowser().drive(url, {
    fill: { login: "carol", password: "x" },
    stop: (u) => u.port === "7",
  });
  return page.url;
}

describe("manual (headless) sign-in against oidc-provider", () => {
  it("accepts the pasted redirect URL (state checked)", async () => {
    const client = createOAuthClient({
      issuer: provider.issuer,
      clientId: "cli",
      scopes: ["openid", "offline_access"],
    });
    const status = await client.loginManually({
      redirectUri: REDIRECT,
      prompt: async (url) => (await landedAt(url)).href,
    });
    expect(status).toMatchObject({ signedIn: true, refreshable: true });
  });

  it("accepts a pasted bare code (PKCE binds it)", async () => {
    const client = createOAuthClient({
      issuer: provider.issuer,
      clientId: "cli",
      scopes: ["openid"],
    });
    const status = await client.loginManually({
      redirectUri: REDIRECT,
      prompt: async (url) => `  ${(await landedAt(url)).searchParams.get("code")}\n`,
    });
    expect(status.signedIn).toBe(true);
  });

  it("refuses a pasted URL with another sign-in's state", async () => {
    const client = createOAuthClient({
      issuer: provider.issuer,
      clientId: "cli",
      scopes: ["openid"],
    });
    const login = client.loginManually({
      redirectUri: REDIRECT,
      prompt: async (url) => {
        const landed = await landedAt(url);
        landed.searchParams.set("state", "someone-elses-state-000000");
        return landed.href;
      },
    });
    await expect(login).rejects.toMatchObject({ code: "state_mismatch" });
    expect((await client.status()).signedIn).toBe(false);
  });
});

describe("parsePastedAnswer", () => {
  it("rejects empty input, URLs without a code, and codes with spaces", () => {
    expect(() => parsePastedAnswer("  ")).toThrow(/nothing was pasted/);
    expect(() => parsePastedAnswer("http://127.0.0.1/callback?x=1")).toThrow(/no code/);
    expect(() => parsePastedAnswer("abc def")).toThrow(/spaces/);
    expect(parsePastedAnswer("http://127.0.0.1/cb?code=c1&state=s1")).toMatchObject({
      hasState: true,
    });
  });
});
