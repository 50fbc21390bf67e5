import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliEnv, ensureBuilt, runCli, startInteractiveCli, tempHome } from "./cli-helpers.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";

/** The key the mock OpenRouter issues: it must reach the credential store and nothing else. */
const CANARY_KEY = "sk-or-v1-canary-2d4f6a8c0e7f3a9c1e5b";

/**
 * A local mock of OpenRouter's two PKCE endpoints (shapes from its public docs): `GET /auth`
 * redirects to `callback_url` with a `code`; `POST /api/v1/auth/keys` exchanges the code and
 * the S256 verifier for `{ key }`.
 */
async function startMockOpenRouter(): Promise<MockUpstream & { issued: Map<string, string> }> {
  const issued = new Map<string, string>(); // code → code_challenge
  let n = 0;
  const mock = await startMockUpstream((request, res) => {
    const url = new URL(request.path, "http://x");
    if (request.method === "GET" && url.pathname === "/auth") {
      const callback = url.searchParams.get("callback_url");
      const challenge = url.searchParams.get("code_challenge");
      if (!callback || !challenge || url.searchParams.get("code_challenge_method") !== "S256") {
        res.writeHead(400).end("bad request");
        return;
      }
      const code = `code-${++n}`;
      issued.set(code, challenge);
      const to = new URL(callback);
      to.searchParams.set("code", code);
      res.writeHead(302, { location: to.href }).end();
      return;
    }
    if (request.method === "POST" && url.pathname === "/api/v1/auth/keys") {
      const { code, code_verifier: verifier } = (request.body ?? {}) as Record<string, string>;
      const challenge = issued.get(code ?? "");
      const computed = createHash("sha256")
        .update(verifier ?? "")
        .digest("base64url");
      if (challenge === undefined || computed !== challenge) {
        res.writeHead(403, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "invalid code or verifier" } }));
        return;
      }
      issued.delete(code!);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ key: CANARY_KEY, user_id: "user_1" }));
      return;
    }
    res.writeHead(404).end();
  });
  return Object.assign(mock, { issued });
}

let openrouter: Awaited<ReturnType<typeof startMockOpenRouter>>;
let home: { home: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  await ensureBuilt();
  openrouter = await startMockOpenRouter();
});
afterAll(() => openrouter.close());
beforeEach(async () => {
  await home?.cleanup();
  home = await tempHome();
  await writeFile(
    join(home.home, "config.json"),
    JSON.stringify({
      backends: { openrouter: { type: "openai", baseUrl: `${openrouter.url}/api/v1` } },
    }),
  );
});

/** Starts `switchyard login …` and resolves with the URL it prints, and the child. */
async function startLogin(args: string[]) {
  const login = startInteractiveCli(["login", ...args], cliEnv(home.home));
  const [url] = await login.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
  return { ...login, url };
}

async function storedKey(): Promise<string | undefined> {
  const file = JSON.parse(await readFile(join(home.home, "credentials.json"), "utf8")) as {
    backends: Record<string, { apiKey: string }>;
  };
  return file.backends.openrouter?.apiKey;
}

describe("switchyard login openrouter (against a local mock of its PKCE endpoints)", () => {
  it("loopback: the browser lands on 127.0.0.1, the code becomes a stored key", async () => {
    const login = await startLogin(["openrouter", "--no-browser"]);
    const auth = new URL(login.url);
    expect(auth.pathname).toBe("/auth"); // …/api/v1 → …/auth
    expect(auth.searchParams.get("callback_url")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    // The browser: follow OpenRouter's redirect to the loopback listener.
    const page = await fetch(login.url); // follows the 302
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("You can close this tab");
    expect(await login.exited).toBe(0);
    expect(await storedKey()).toBe(CANARY_KEY);
    expect(login.out()).toContain("signed in");
    expect(login.out()).not.toContain(CANARY_KEY);
    const list = await runCli(["backend", "list"], { env: cliEnv(home.home) });
    expect(list.stdout).toMatch(/openrouter\s+openai\s+\S+\s+stored/);
    expect(list.stdout + list.stderr).not.toContain(CANARY_KEY);
  }, 60_000);

  it("--manual: prints the URL and takes the pasted redirect address", async () => {
    const login = await startLogin(["openrouter", "--manual"]);
    const redirect = await fetch(login.url, { redirect: "manual" });
    const landed = redirect.headers.get("location")!;
    expect(landed).toContain("code=");
    login.child.stdin.end(`${landed}\n`);
    expect(await login.exited).toBe(0);
    expect(await storedKey()).toBe(CANARY_KEY);
    expect(login.out()).not.toContain(CANARY_KEY);
  }, 60_000);

  it("a code exchanged with another verifier stores nothing and says to sign in again", async () => {
    const login = await startLogin(["openrouter", "--manual"]);
    // Someone else's code (issued for another challenge) pasted in.
    const other = new URL(login.url);
    other.searchParams.set("code_challenge", "A".repeat(43));
    const landed = (await fetch(other, { redirect: "manual" })).headers.get("location")!;
    login.child.stdin.end(`${landed}\n`);
    expect(await login.exited).toBe(1);
    expect(login.out()).toMatch(/did not exchange the code.*sign in again/);
    await expect(readFile(join(home.home, "credentials.json"), "utf8")).rejects.toThrow();
  }, 60_000);

  it("logout removes the stored key", async () => {
    const login = await startLogin(["openrouter", "--manual"]);
    const landed = (await fetch(login.url, { redirect: "manual" })).headers.get("location")!;
    login.child.stdin.end(`${landed}\n`);
    expect(await login.exited).toBe(0);
    const out = await runCli(["logout", "openrouter"], { env: cliEnv(home.home) });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("removed the stored key of openrouter");
    expect(await storedKey()).toBeUndefined();
  }, 60_000);
});
