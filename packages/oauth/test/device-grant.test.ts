import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOAuthClient, type DeviceCodePrompt } from "../src/index.js";
import { createTestBrowser } from "./helpers/browser.js";
import { startTestProvider, type TestProvider } from "./helpers/provider.js";

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(() => provider.close());

/** A fetch that answers the first `n` device-code polls with `slow_down`, the rest for real. */
function slowDownFirstPolls(n: number) {
  let left = n;
  return async (input: string, init?: RequestInit) => {
    const body = String(init?.body ?? "");
    if (left > 0 && body.includes("device_code") && body.includes("grant_type")) {
      left -= 1;
      return new Response(JSON.stringify({ error: "slow_down" }), {
        status: 400,
        headers: { "content-type": "application/json" },
      });
    }
    return fetch(input, init);
  };
}

describe("device authorization grant (RFC 8628) against oidc-provider", () => {
  it("approves the user code through the provider's own pages; polls at 5 s, +5 s on slow_down", async () => {
    const browser = createTestBrowser();
    const oauth = createOAuthClient({
      issuer: provider.issuer,
      clientId: "cli",
      scopes: ["openid", "offline_access", "api"],
      fetch: slowDownFirstPolls(2),
    });
    let prompt: DeviceCodePrompt | undefined;
    let approved: Promise<unknown> = Promise.resolve();
    const sleeps: number[] = [];
    const status = await oauth.loginWithDevice({
      onUserCode: (p) => {
        prompt = p;
        // The user types the code on the provider's page (not the complete URI).
        approved = browser.drive(p.verificationUri, {
          fill: { user_code: p.userCode, login: "bob", password: "x" },
        });
      },
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 3) await approved; // approve while polling goes on
      },
    });
    expect(prompt?.userCode).toMatch(/^[A-Z]{4}-?[A-Z]{4}$/);
    expect(status).toMatchObject({ signedIn: true, refreshable: true });
    // The provider names no interval: RFC 8628's 5 s; two slow_down answers add 5 s each.
    expect(sleeps.slice(0, 3)).toEqual([5000, 10_000, 15_000]);
    expect(await oauth.accessToken()).toMatch(/^ey/);
  });

  it("gives up with `expired` once the code's lifetime has passed", async () => {
    let clock = Date.now();
    const oauth = createOAuthClient({
      issuer: provider.issuer,
      clientId: "cli",
      scopes: ["openid"],
      now: () => clock,
    });
    let polls = 0;
    const login = oauth.loginWithDevice({
      onUserCode: () => {},
      sleep: async (ms) => {
        polls += 1;
        clock += ms * 60; // nobody approves; time runs out after a few polls
      },
    });
    await expect(login).rejects.toMatchObject({ code: "expired", isRetryable: false });
    expect(polls).toBeLessThanOrEqual(3);
    expect(await oauth.status()).toMatchObject({ signedIn: false });
  });
});
