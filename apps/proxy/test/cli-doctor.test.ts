import { chmod, mkdir, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY, cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

const WRONG = "sk-wrong-key-000000000000";
let upstream: Server;
let upstreamUrl: string;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let home: string;
let cleanup: () => Promise<void>;
let binDir: string;

beforeAll(async () => {
  await ensureBuilt();
  // Local upstream: /models answers 200 for the right key, 401 otherwise.
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    const key = req.headers["x-api-key"] ?? req.headers.authorization?.replace(/^Bearer /, "");
    if (req.url?.endsWith("/models")) {
      res.writeHead(key === CANARY ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(key === CANARY ? { data: [] } : { error: { message: `bad ${key}` } }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  ({ home, cleanup } = await tempHome());
  // A stand-in `claude` on PATH so the version check is deterministic.
  binDir = join(home, "bin");
  await mkdir(binDir);
  await writeFile(join(binDir, "claude"), "#!/bin/sh\necho '9.9.9 (Claude Code)'\n", {
    mode: 0o755,
  });
}, 120_000);

afterAll(async () => {
  await new Promise((r) => upstream.close(r));
  await cleanup();
});

const env = () => cliEnv(home, { PATH: `${binDir}:${process.env.PATH}`, SY_GOOD: CANARY });

describe.skipIf(process.platform === "win32")("switchyard doctor", () => {
  it("probes each backend with a 2 s timeout and never puts a key in the report", async () => {
    const deadPort = await freePort();
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        port: (upstream.address() as AddressInfo).port,
        backends: {
          good: { type: "openai", baseUrl: `${upstreamUrl}/v1` },
          envkey: { type: "anthropic", baseUrl: upstreamUrl, apiKey: "env:SY_GOOD" },
          wrong: { type: "openai", baseUrl: `${upstreamUrl}/v1`, apiKey: WRONG },
          dead: { type: "openai", baseUrl: `http://127.0.0.1:${deadPort}/v1` },
          cc: { type: "claude-code" },
        },
      }),
    );
    const store = await runCli(["backend", "add", "good", "--force", "--key", "-"], {
      env: env(),
      input: CANARY,
    });
    expect(store.code).toBe(0);

    const run = await runCli(["doctor"], { env: env() });
    expect(run.code).toBe(1); // `dead`, `wrong` and the port fail
    const out = run.stdout;
    expect(out).toMatch(/switchyard \S+ · node v\d+/);
    expect(out).toMatch(
      /\[ ok \] backend:good\s+http:\/\/127\.0\.0\.1:\d+\/v1\/models: reachable \(HTTP 200/,
    );
    expect(out).toMatch(/\[ ok \] backend:envkey\s+.*\/v1\/models: reachable \(HTTP 200/);
    expect(out).toMatch(/\[FAIL\] backend:wrong\s+.*key rejected \(HTTP 401/);
    expect(out).toMatch(/\[FAIL\] backend:dead\s+.*unreachable \(ECONNREFUSED\)/);
    expect(out).toMatch(/\[ ok \] backend:cc\s+claude 9\.9\.9 at \S+\/bin\/claude/);
    expect(out).toContain("quota: no quota snapshot");
    // The claude-code backend's check already probed the CLI: no second, general claude line.
    expect(out).not.toMatch(/^\[ ok \] claude\s/m);
    expect(out).toMatch(/\[FAIL\] port\s+127\.0\.0\.1:\d+ is in use by another program/);
    expect(out).toMatch(/\[ ok \] files\s+home directory and credential file are private/);
    // The keys were sent upstream (to check them) but appear nowhere in the report.
    expect(seen.some((s) => s.headers.authorization === `Bearer ${CANARY}`)).toBe(true);
    expect(seen.some((s) => s.headers["x-api-key"] === CANARY && s.url === "/v1/models")).toBe(
      true,
    );
    expect(out + run.stderr).not.toContain(CANARY);
    expect(out + run.stderr).not.toContain(WRONG);

    const json = await runCli(["doctor", "--json"], { env: env() });
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(["runtime", "config", "files", "backend:good", "backend:cc", "port"]),
    );
    expect(report.checks.map((c: { id: string }) => c.id)).not.toContain("claude");
    expect(json.stdout).not.toContain(CANARY);
    expect(json.stdout).not.toContain(WRONG);
  });

  it("warns when the credential file is not 0600 and names the bad config field", async () => {
    await chmod(join(home, "credentials.json"), 0o644);
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({ backends: { x: { type: "openai", baseUrl: 42 } } }),
    );
    const run = await runCli(["doctor"], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /\[FAIL\] config\s+.*config\.json: backends\.x\.baseUrl must be an http\(s\) URL, got 42/,
    );
    expect(run.stdout).toMatch(/\[warn\] files/);
    expect(run.stdout).toContain("credentials.json: mode 0644, expected 0600 (chmod 600");
    expect(run.stdout).not.toContain(CANARY);
  });

  it("passes on a fresh home with nothing configured", async () => {
    const fresh = await tempHome();
    try {
      const port = await freePort();
      const run = await runCli(["doctor", "--port", String(port)], {
        env: cliEnv(fresh.home, { PATH: `${binDir}:${process.env.PATH}` }),
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/\[info\] config\s+.*not found/);
      expect(run.stdout).toMatch(new RegExp(`\\[ ok \\] port\\s+127\\.0\\.0\\.1:${port} is free`));
      expect(run.stdout).toContain("all checks passed");
    } finally {
      await fresh.cleanup();
    }
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}
