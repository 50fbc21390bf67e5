/**
 * `switchyard login <backend>` as a user runs it, for an OIDC `auth` block, against a real
 * OpenID provider (oidc-provider on 127.0.0.1): the device flow (code shown, typed on the
 * provider's page) and `--manual` (URL printed, the landing address pasted back). The tokens
 * land in the home's token file (0600) and never on the terminal; `doctor` then says signed in.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestBrowser } from "../../../packages/oauth/test/helpers/browser.js";
import {
  cliEnv,
  ensureBuilt,
  type InteractiveCli,
  runCli,
  startInteractiveCli,
  tempHome,
} from "./cli-helpers.js";
import { type LocalIssuer, startLocalIssuer } from "./helpers/oidc-issuer.js";

let issuer: LocalIssuer;
let home: { home: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  await ensureBuilt();
  issuer = await startLocalIssuer({ ttlSeconds: 600, serviceSecret: "unused-service-secret-0" });
}, 120_000);
afterAll(async () => {
  await home?.cleanup();
  await issuer?.close();
});
beforeEach(async () => {
  await home?.cleanup();
  home = await tempHome();
  const auth = (flow: string) => ({
    type: "oidc",
    issuer: issuer.issuer,
    clientId: "proxy-cli",
    scopes: ["openid", "offline_access", "api"],
    flow,
  });
  await writeFile(
    join(home.home, "config.json"),
    JSON.stringify({
      backends: {
        tv: { type: "openai", baseUrl: "http://127.0.0.1:9/v1", auth: auth("device") },
        ssh: { type: "openai", baseUrl: "http://127.0.0.1:9/v1", auth: auth("pkce") },
      },
    }),
  );
});

const startLogin = (args: string[]) => startInteractiveCli(["login", ...args], cliEnv(home.home));

/** Signs in as the user on the provider's pages from the printed URL, up to the redirect. */
async function landingAddress(login: InteractiveCli): Promise<URL> {
  const [url] = await login.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
  const landed = await createTestBrowser().drive(url, {
    fill: { login: "dana", password: "x" },
    stop: (at) => at.pathname === "/callback",
  });
  expect(landed.url.searchParams.get("code")).toBeTruthy();
  return landed.url;
}

/** Every long string in the token file (access, refresh and id tokens). */
async function tokenStrings(): Promise<string[]> {
  const file = join(home.home, "oauth-tokens.json");
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const found: string[] = [];
  JSON.parse(await readFile(file, "utf8"), (_key, value: unknown) => {
    if (typeof value === "string" && value.length >= 20 && !value.startsWith("http"))
      found.push(value);
    return value;
  });
  return found;
}

async function expectSignedIn(backend: string, output: string): Promise<void> {
  const tokens = await tokenStrings();
  expect(tokens.length).toBeGreaterThanOrEqual(2); // an access and a refresh token at least
  for (const token of tokens) expect(output).not.toContain(token);
  const doctor = await runCli(["doctor"], { env: cliEnv(home.home), timeoutMs: 30_000 });
  expect(doctor.stdout).toMatch(new RegExp(`signin:${backend}\\s+${backend}: signed in`));
  for (const token of tokens) expect(doctor.stdout + doctor.stderr).not.toContain(token);
}

describe("switchyard login with an OIDC auth block (real oidc-provider)", () => {
  it("device flow: shows the code, the user types it on the provider's page, tokens stored", async () => {
    const login = startLogin(["tv"]);
    const [, uri, code] = await login.waitFor(/open (http:\/\/\S+) and enter the code (\S+)/);
    await createTestBrowser().drive(uri!, {
      fill: { user_code: code!, login: "dana", password: "x" },
    });
    expect(await login.exited).toBe(0);
    expect(login.out()).toContain("signed in: backend tv");
    expect(issuer.grants["urn:ietf:params:oauth:grant-type:device_code"]).toBeGreaterThanOrEqual(1);
    await expectSignedIn("tv", login.out());
  }, 90_000);

  it("--manual: prints the URL, takes the pasted landing address, tokens stored", async () => {
    const login = startLogin(["ssh", "--manual"]);
    login.child.stdin.end(`${(await landingAddress(login)).href}\n`);
    expect(await login.exited).toBe(0);
    expect(login.out()).toContain("signed in: backend ssh");
    await expectSignedIn("ssh", login.out());
  }, 90_000);

  it("--manual with a forged state stores nothing and says why", async () => {
    const login = startLogin(["ssh", "--manual"]);
    const landed = await landingAddress(login);
    landed.searchParams.set("state", "forged-by-someone-else");
    login.child.stdin.end(`${landed.href}\n`);
    expect(await login.exited).not.toBe(0);
    expect(login.out()).toMatch(/state/i);
    await expect(stat(join(home.home, "oauth-tokens.json"))).rejects.toThrow();
  }, 90_000);
});
