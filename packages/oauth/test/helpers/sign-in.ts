import { createOAuthClient, type OAuthClientOptions } from "../../src/index.js";
import { createTestBrowser } from "./browser.js";

/** Signs in at the test provider as client `cli` (loopback + the provider's pages). */
export async function signIn(options: Partial<OAuthClientOptions> & { issuer: string }) {
  const browser = createTestBrowser();
  const client = createOAuthClient({
    clientId: "cli",
    scopes: ["openid", "offline_access", "api"],
    ...options,
  });
  await client.loginWithLoopback({
    openBrowser: (url) => {
      void browser.drive(url, { fill: { login: "alice", password: "x" } });
    },
  });
  return client;
}
