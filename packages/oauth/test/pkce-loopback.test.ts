import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAuthorizationRequest,
  createOAuthClient,
  createServerContext,
  exchangeAuthorizationCode,
  OAuthError,
} from "../src/index.js";
import { createTestBrowser } from "./helpers/browser.js";
import { startTestProvider, type TestProvider } from "./helpers/provider.js";

const SCOPES = ["openid", "offline_access", "api"];
const USER = { login: "alice", password: "any" };
let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(() => provider.close());

const client = () =>
  createOAuthClient({ issuer: provider.issuer, clientId: "cli", scopes: SCOPES });

describe("authorization code + PKCE with a loopback redirect, against oidc-provider", () => {
  it("signs in through the provider's login and consent pages and stores tokens", async () => {
    const browser = createTestBrowser();
    const oauth = client();
    let page: { url: URL; status: number; body: string } | undefined;
    const status = await oauth.loginWithLoopback({
      openBrowser: async (url) => {
        // Drive the browser without blocking the login: the listener answers at the end.
        void browser.drive(url, { fill: USER }).then((p) => {
          page = p;
        });
      },
    });
    expect(status).toMatchObject({ signedIn: true, refreshable: true });
    expect(Date.parse(status.expiresAt!)).toBeGreaterThan(Date.now());
    await expect.poll(() => page?.status, { timeout: 30_000 }).toBe(200);
    expect(page!.url.hostname).toBe("127.0.0.1");
    expect(page!.body).toContain("You can close this tab");
    // The listener is one-shot: the port no longer answers.
    await expect(fetch(page!.url)).rejects.toThrow();
    expect(await oauth.accessToken()).toMatch(/^ey/);
  });

  it("sends a fresh S256 challenge, a state and an exact 127.0.0.1 redirect", async () => {
    const urls: string[] = [];
    const oauth = client();
    const abort = new AbortController();
    const login = oauth.loginWithLoopback({ onUrl: (u) => urls.push(u), signal: abort.signal });
    await expect.poll(() => urls.length, { timeout: 30_000 }).toBe(1);
    abort.abort();
    const url = new URL(urls[0]!);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(url.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    await expect(login).rejects.toMatchObject({ code: "aborted" });
  });

  it("refuses a redirect whose state was tampered with, and stores nothing", async () => {
    const browser = createTestBrowser();
    const oauth = client();
    let tabBody = "";
    const login = oauth.loginWithLoopback({
      openBrowser: async (url) => {
        const landed = await browser.drive(url, {
          fill: USER,
          stop: (u) => u.hostname === "127.0.0.1" && u.pathname === "/callback",
        });
        landed.url.searchParams.set("state", "forged-state-value-0000000000");
        tabBody = await (await fetch(landed.url)).text();
      },
    });
    await expect(login).rejects.toMatchObject({ code: "state_mismatch" });
    await expect
      .poll(() => tabBody, { timeout: 30_000 })
      .toContain("Sign-in failed (state_mismatch)");
    expect(await oauth.status()).toEqual({ signedIn: false, refreshable: false });
  });

  it("refuses a code exchanged with the wrong PKCE verifier", async () => {
    const browser = createTestBrowser();
    const context = createServerContext({
      issuer: provider.issuer,
      clientId: "cli",
      scopes: SCOPES,
    });
    const redirectUri = "http://127.0.0.1:9/callback";
    const request = await createAuthorizationRequest(context, { redirectUri });
    const landed = await browser.drive(request.url.href, {
      fill: USER,
      stop: (u) => u.port === "9",
    });
    expect(landed.url.searchParams.get("code")).toBeTruthy();
    const error = await exchangeAuthorizationCode(context, {
      response: landed.url,
      request: { ...request, codeVerifier: "x".repeat(43) },
    }).catch((e: unknown) => e);
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ oauthError: "invalid_grant", isRetryable: false });
    expect(String((error as Error).message)).not.toContain(landed.url.searchParams.get("code")!);
  });
});
