import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMemoryTokenStore,
  createOAuthClient,
  OAuthError,
  revokeTokens,
  type TokenSet,
} from "../src/index.js";
import { SERVICE_SECRET, startTestProvider, type TestProvider } from "./helpers/provider.js";
import { signIn } from "./helpers/sign-in.js";

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(() => provider.close());

/** A clock the test moves. */
const clock = (start = Date.now()) => {
  const c = { t: start, now: () => c.t };
  return c;
};

describe("refresh against oidc-provider", () => {
  it("refreshes before expiry and rotates the refresh token", async () => {
    const time = clock();
    const store = createMemoryTokenStore();
    const client = await signIn({ issuer: provider.issuer, store, now: time.now });
    const first = (await store.get("cli")) as TokenSet;
    expect(await client.accessToken()).toBe(first.accessToken);
    time.t = first.expiresAt! - 30_000; // inside the 60 s skew
    const renewed = await client.accessToken();
    const second = (await store.get("cli")) as TokenSet;
    expect(renewed).not.toBe(first.accessToken);
    expect(second.accessToken).toBe(renewed);
    expect(second.refreshToken).toBeDefined();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(client.manager.renewals).toBe(1);
  });

  it("100 concurrent callers at expiry cause exactly one refresh", async () => {
    const time = clock();
    const client = await signIn({ issuer: provider.issuer, now: time.now });
    const before = provider.grants.refresh_token ?? 0;
    time.t += 7 * 24 * 3600 * 1000; // long past expiry
    const tokens = await Promise.all(Array.from({ length: 100 }, () => client.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(client.manager.renewals).toBe(1);
    expect((provider.grants.refresh_token ?? 0) - before).toBe(1);
  });

  it("100 concurrent 401s for the same token cause exactly one refresh", async () => {
    const client = await signIn({ issuer: provider.issuer });
    const stale = await client.accessToken();
    const before = provider.grants.refresh_token ?? 0;
    const tokens = await Promise.all(Array.from({ length: 100 }, () => client.unauthorized(stale)));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(stale);
    expect((provider.grants.refresh_token ?? 0) - before).toBe(1);
  });

  it("a revoked refresh token means sign in again (login_required, not retryable)", async () => {
    const time = clock();
    const store = createMemoryTokenStore();
    const client = await signIn({ issuer: provider.issuer, store, now: time.now });
    const tokens = (await store.get("cli")) as TokenSet;
    expect(await revokeTokens(client.context, tokens)).toBe(true);
    time.t = tokens.expiresAt! + 1;
    const error = await client.accessToken().catch((e: unknown) => e);
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "login_required", isRetryable: false });
    expect((error as Error).message).toContain("sign in again");
    for (const secret of [tokens.accessToken, tokens.refreshToken!]) {
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(secret);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it("a reused (rotated-out) refresh token is refused as invalid_grant", async () => {
    const time = clock();
    const store = createMemoryTokenStore();
    const client = await signIn({ issuer: provider.issuer, store, now: time.now });
    const old = (await store.get("cli")) as TokenSet;
    await client.unauthorized(old.accessToken); // rotates
    await store.set("cli", old); // an attacker (or a stale copy) replays the old one
    client.manager.reset();
    time.t = old.expiresAt! + 1;
    await expect(client.accessToken()).rejects.toMatchObject({
      code: "login_required",
      oauthError: "invalid_grant",
    });
  });

  it("network trouble is retryable and is not 'sign in again'", async () => {
    const time = clock();
    const store = createMemoryTokenStore();
    let down = false;
    const client = await signIn({
      issuer: provider.issuer,
      store,
      now: time.now,
      fetch: (input, init) =>
        down ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init),
    });
    down = true;
    time.t += 7 * 24 * 3600 * 1000;
    await expect(client.accessToken()).rejects.toMatchObject({
      code: "network_error",
      isRetryable: true,
    });
    down = false;
    expect(await client.accessToken()).toMatch(/^ey/);
    expect((await store.get("cli"))?.refreshToken).toBeDefined();
  });

  it("logout revokes at the server (RFC 7009) and forgets the tokens", async () => {
    const store = createMemoryTokenStore();
    const client = await signIn({ issuer: provider.issuer, store });
    const tokens = (await store.get("cli")) as TokenSet;
    expect(await client.logout()).toEqual({ revoked: true, hadTokens: true });
    expect(await client.status()).toEqual({ signedIn: false, refreshable: false });
    // The revoked refresh token no longer works at the provider.
    await store.set("cli", { ...tokens, expiresAt: 0 });
    client.manager.reset();
    await expect(client.accessToken()).rejects.toMatchObject({ code: "login_required" });
  });
});

describe("client credentials against oidc-provider", () => {
  it("fetches a service token without a login and again when it expires", async () => {
    const time = clock();
    const client = createOAuthClient({
      issuer: provider.issuer,
      clientId: "service",
      clientSecret: SERVICE_SECRET,
      scopes: ["api"],
      flow: "client_credentials",
      now: time.now,
    });
    const before = provider.grants.client_credentials ?? 0;
    const first = await client.accessToken();
    expect(first).toMatch(/^ey/);
    expect(await client.accessToken()).toBe(first);
    time.t += 2 * 3600 * 1000;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => client.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect((provider.grants.client_credentials ?? 0) - before).toBe(2);
  });

  it("a wrong client secret is refused, not retried", async () => {
    const client = createOAuthClient({
      issuer: provider.issuer,
      clientId: "service",
      clientSecret: "wrong-secret-0123456789",
      scopes: ["api"],
      flow: "client_credentials",
    });
    const error = await client.accessToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "server_refused", isRetryable: false });
    expect((error as Error).message).not.toContain("wrong-secret");
  });
});
