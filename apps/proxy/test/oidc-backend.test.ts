import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackendOAuthClient } from "../src/auth/backend-auth.js";
import type { OidcAuthConfig } from "../src/auth/oidc-config.js";
import { type RequestLogEntry, type RunningServer, startServer } from "../src/server/index.js";
import { cliEnv, ensureBuilt, runCli } from "./cli-helpers.js";
import { testConfig } from "./helpers/config.js";
import {
  approveInBrowser,
  type LocalIssuer,
  startJwksCheckingUpstream,
  startLocalIssuer,
} from "./helpers/oidc-issuer.js";

// Long enough that a loaded machine serves 100 requests within half a lifetime (the renewal skew).
const TTL_S = 10;
const SERVICE_SECRET = "sy-canary-client-secret-4f6a8c0e7f3a9c1e";

let issuer: LocalIssuer;
let upstream: Awaited<ReturnType<typeof startJwksCheckingUpstream>>;
let home: string;
let server: RunningServer;
const logs: string[] = [];
const requestLogs: RequestLogEntry[] = [];
const cliOutputs: string[] = [];

const gatewayAuth = (): OidcAuthConfig => ({
  type: "oidc",
  issuer: issuer.issuer,
  clientId: "proxy-cli",
  scopes: ["openid", "offline_access", "api"],
  flow: "pkce",
});

beforeAll(async () => {
  issuer = await startLocalIssuer({ ttlSeconds: TTL_S, serviceSecret: SERVICE_SECRET });
  upstream = await startJwksCheckingUpstream(issuer.issuer);
  home = await mkdtemp(join(tmpdir(), "sy-oidc-"));
  // `switchyard login gateway` does this: PKCE loopback, tokens into <home>/oauth-tokens.json.
  const client = createBackendOAuthClient({
    name: "gateway",
    auth: gatewayAuth(),
    home,
    openBrowser: (url) => {
      void approveInBrowser(url);
    },
  });
  await client.loginWithLoopback();
  server = await startServer({
    config: testConfig({
      home,
      backends: {
        echo: { type: "echo" },
        gateway: { type: "openai", baseUrl: `${upstream.url}/v1`, auth: gatewayAuth() },
        service: {
          type: "openai",
          baseUrl: `${upstream.url}/v1`,
          auth: {
            type: "oidc",
            issuer: issuer.issuer,
            clientId: "proxy-service",
            clientSecret: SERVICE_SECRET,
            scopes: ["api"],
            flow: "client_credentials",
          },
        },
      },
    }),
    version: "0.0.0-test",
    requestLog: (entry, line) => {
      requestLogs.push(entry);
      logs.push(line);
    },
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
  });
}, 30_000);

afterAll(async () => {
  await server?.close(100);
  await upstream?.close();
  await issuer?.close();
  await rm(home, { recursive: true, force: true });
});

const chat = async (model: string) => {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  return { status: response.status, text: await response.text() };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("an OIDC backend behind the proxy, upstream checking the bearer against the JWKS", () => {
  it("serves across a token expiry; 100 concurrent requests at expiry cause exactly one refresh", async () => {
    expect((await chat("gateway:m1")).status).toBe(200);
    const firstToken = upstream.accepted.at(-1);
    await sleep(TTL_S * 1000 + 200); // the access token is now expired
    const before = issuer.grants.refresh_token ?? 0;
    const results = await Promise.all(Array.from({ length: 100 }, () => chat("gateway:m1")));
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect((issuer.grants.refresh_token ?? 0) - before).toBe(1);
    const tokens = new Set(upstream.accepted.slice(-100));
    expect(tokens.size).toBe(1);
    expect(tokens.has(firstToken!)).toBe(false);
  }, 60_000);

  it("a 401 from the upstream triggers one refresh and one retry", async () => {
    expect((await chat("gateway:m1")).status).toBe(200);
    const current = upstream.accepted.at(-1)!;
    upstream.rejectNext.add(current); // the gateway revoked it early
    const before = issuer.grants.refresh_token ?? 0;
    const rejectedBefore = upstream.counts.rejected;
    const result = await chat("gateway:m1");
    expect(result.status).toBe(200);
    expect(upstream.counts.rejected - rejectedBefore).toBe(1);
    expect((issuer.grants.refresh_token ?? 0) - before).toBe(1);
    expect(upstream.accepted.at(-1)).not.toBe(current);
  });

  it("client credentials: the proxy fetches its own token, and another after expiry", async () => {
    const before = issuer.grants.client_credentials ?? 0;
    expect((await chat("service:m1")).status).toBe(200);
    await sleep(TTL_S * 1000 + 200);
    const results = await Promise.all(Array.from({ length: 20 }, () => chat("service:m1")));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((issuer.grants.client_credentials ?? 0) - before).toBe(2);
  }, 60_000);

  it("/status shows signed-in state and expiry, never a token", async () => {
    const status = (await (await fetch(`${server.url}/status`)).json()) as {
      auth: Record<string, { signedIn: boolean; expiresAt?: string; flow: string }>;
    };
    expect(status.auth.gateway).toMatchObject({
      type: "oidc",
      flow: "pkce",
      signedIn: true,
      refreshable: true,
    });
    expect(Date.parse(status.auth.gateway!.expiresAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(status.auth.service).toMatchObject({ flow: "client_credentials", signedIn: true });
  });

  it("`status`, `doctor` and `config` show signed-in state and expiry, never a token", async () => {
    await ensureBuilt();
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        backends: {
          gateway: { type: "openai", baseUrl: `${upstream.url}/v1`, auth: gatewayAuth() },
          service: {
            type: "openai",
            baseUrl: `${upstream.url}/v1`,
            auth: {
              ...gatewayAuth(),
              clientId: "proxy-service",
              clientSecret: "env:SY_SECRET",
              flow: "client_credentials",
            },
          },
        },
      }),
    );
    const env = cliEnv(home, { SY_SECRET: SERVICE_SECRET });
    const status = await runCli(["status", "--port", String(server.port)], { env });
    expect(status.stdout).toMatch(
      /sign-in: +gateway: signed in \(pkce\), token valid until \S+, renews itself/,
    );
    const doctor = await runCli(["doctor"], { env, timeoutMs: 30_000 });
    expect(doctor.stdout).toContain("gateway: signed in (pkce)");
    expect(doctor.stdout).toContain("service: no token yet (client credentials");
    const config = await runCli(["config", "--json"], { env });
    expect(config.stdout).toContain('"clientSecret": "env:SY_SECRET"');
    cliOutputs.push(
      status.stdout,
      status.stderr,
      doctor.stdout,
      doctor.stderr,
      config.stdout,
      config.stderr,
    );
  }, 60_000);

  it("no access token, refresh token or client secret appears in any response, log or status", async () => {
    const stored = JSON.parse(await readFile(join(home, "oauth-tokens.json"), "utf8")) as {
      tokens: Record<string, { accessToken: string; refreshToken: string }>;
    };
    const secrets = [
      ...upstream.accepted,
      stored.tokens.gateway!.accessToken,
      stored.tokens.gateway!.refreshToken,
      SERVICE_SECRET,
    ];
    const status = await (await fetch(`${server.url}/status`)).text();
    const requests = await (await fetch(`${server.url}/requests`)).text();
    const answer = await chat("gateway:m1"); // a normal answer, for its body
    const everything = [
      status,
      requests,
      answer.text,
      ...logs,
      ...cliOutputs,
      JSON.stringify(requestLogs),
    ].join("\n");
    expect(cliOutputs.length).toBe(6);
    for (const secret of new Set(secrets)) expect(everything).not.toContain(secret);
  });
});
