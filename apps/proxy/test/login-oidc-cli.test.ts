/**
 * `switchyard login <backend>` as a user runs it, for an OIDC `auth` block, against a real
 * OpenID provider (oidc-provider on 127.0.0.1): the device flow (code shown, typed on the
 * provider's page) and `--manual` (URL printed, the landing address pasted back). The tokens
 * land in the home's token file (0600) and never on the terminal; `doctor` then says signed in.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestBrowser } from "../../../packages/oauth/test/helpers/browser.js";
import { CLI, cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";
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

/** Starts `switchyard login …`; `waitFor` resolves with the first match of `pattern` on stderr. */
function startLogin(args: string[]) {
  const child = spawn(process.execPath, [CLI, "login", ...args], {
    env: cliEnv(home.home),
    stdio: ["pipe", "pipe", "pipe"],
  }) as ChildProcessWithoutNullStreams;
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (let i = 0; i < 400; i++) {
      const match = pattern.exec(stderr);
      if (match) return match;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    throw new Error(`login printed no ${pattern}: ${stderr}`);
  };
  return { child, exited, waitFor, out: () => stdout + stderr };
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
    const [url] = await login.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
    const landed = await createTestBrowser().drive(url, {
      fill: { login: "dana", password: "x" },
      stop: (at) => at.pathname === "/callback",
    });
    expect(landed.url.searchParams.get("code")).toBeTruthy();
    login.child.stdin.end(`${landed.url.href}\n`);
    expect(await login.exited).toBe(0);
    expect(login.out()).toContain("signed in: backend ssh");
    await expectSignedIn("ssh", login.out());
  }, 90_000);

  it("--manual with a forged state stores nothing and says why", async () => {
    const login = startLogin(["ssh", "--manual"]);
    const [url] = await login.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
    const landed = await createTestBrowser().drive(url, {
      fill: { login: "dana", password: "x" },
      stop: (at) => at.pathname === "/callback",
    });
    landed.url.searchParams.set("state", "forged-by-someone-else");
    login.child.stdin.end(`${landed.url.href}\n`);
    expect(await login.exited).not.toBe(0);
    expect(login.out()).toMatch(/state/i);
    await expect(stat(join(home.home, "oauth-tokens.json"))).rejects.toThrow();
  }, 90_000);
});
