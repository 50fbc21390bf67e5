import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CANARY,
  cliEnv,
  ensureBuilt,
  type ProxyProcess,
  runCli,
  startProxy,
  tempHome,
} from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("switchyard proxy", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  const running: ProxyProcess[] = [];
  const servers: Server[] = [];
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
  });
  afterEach(async () => {
    for (const p of running.splice(0)) p.kill();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    await cleanup();
  });
  const start = async (args: string[], env = cliEnv(home)) => {
    const proxy = await startProxy(args, env);
    running.push(proxy);
    return proxy;
  };

  it("starts when a backend's key variable is unset: that backend answers a non-retryable 400, the rest serve", async () => {
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        backends: {
          groq: { type: "openai", baseUrl: "http://127.0.0.1:9/v1", apiKey: "env:SY_TEST_GROQ" },
        },
      }),
    );
    const proxy = await start(["--port", "0"]);
    expect(proxy.stderr()).toContain(
      "warning: backend groq: apiKey refers to environment variable SY_TEST_GROQ, which is not set",
    );
    const ask = (model: string, path = "/v1/chat/completions") =>
      fetch(`${proxy.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body: JSON.stringify({ model, max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
      });
    const openai = await ask("groq:llama-3");
    expect(openai.status).toBe(400);
    expect(openai.headers.get("x-should-retry")).toBe("false");
    expect(await openai.json()).toMatchObject({
      error: {
        code: "backend_unavailable",
        message: expect.stringContaining("SY_TEST_GROQ, which is not set"),
      },
    });
    const anthropic = await ask("groq:llama-3", "/v1/messages");
    expect(anthropic.status).toBe(400);
    expect(await anthropic.json()).toMatchObject({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: expect.stringContaining("SY_TEST_GROQ, which is not set"),
      },
    });
    expect((await ask("echo:hi")).status).toBe(200);
    const doctor = await runCli(["doctor"], { env: cliEnv(home) });
    expect(doctor.stdout).toMatch(/\[FAIL\] config/);
    expect(doctor.stdout).toContain("SY_TEST_GROQ, which is not set");
  });

  it("starts with no config, prints the banner, answers echo:hello, logs JSON, exits 0 on SIGTERM", async () => {
    const proxy = await start(["--port", "0"]);
    const banner = proxy.stderr();
    expect(banner).toContain(`listening on http://127.0.0.1:${proxy.port}`);
    expect(banner).toMatch(/backends\s+echo/);
    expect(banner).toContain(`curl -s http://127.0.0.1:${proxy.port}/v1/chat/completions`);
    expect(banner).toContain("switchyard backend add");

    const response = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "echo:hello", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      model: string;
      choices: { message: { content: string } }[];
    };
    expect(body.model).toBe("hello");
    expect(body.choices[0]?.message.content).toContain("hi");

    const status = await runCli(["status"], {
      env: cliEnv(home, { SWITCHYARD_PORT: String(proxy.port) }),
    });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`at http://127.0.0.1:${proxy.port}`);
    expect(status.stdout).toMatch(/echo\s+echo\s+-\s+-\s+1\s+0/);
    const json = await runCli(["status", "--json", "--port", String(proxy.port)], {
      env: cliEnv(home),
    });
    expect(JSON.parse(json.stdout).requests.total).toBeGreaterThanOrEqual(1);

    proxy.child.kill("SIGTERM");
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
    const log = proxy
      .stdout()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(log[0]).toMatchObject({
      path: "/v1/chat/completions",
      status: 200,
      backend: "echo",
      model: "echo:hello",
    });
    expect(proxy.stderr()).toContain("stopped");
  });

  it("never prints a backend key in the banner, request log or status", async () => {
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({ backends: { up: { type: "openai", baseUrl: "http://127.0.0.1:9/v1" } } }),
    );
    expect(
      (
        await runCli(
          ["backend", "add", "up", "--force", "--base-url", "http://127.0.0.1:9/v1", "--key", "-"],
          { env: cliEnv(home), input: CANARY },
        )
      ).code,
    ).toBe(0);
    const proxy = await start(["--port", "0"], cliEnv(home, { SY_K: CANARY }));
    const status = await runCli(["status", "--json"], {
      env: cliEnv(home, { SWITCHYARD_PORT: String(proxy.port) }),
    });
    expect(JSON.parse(status.stdout).backends.up).toMatchObject({ type: "openai" });
    proxy.child.kill("SIGTERM");
    await proxy.exited;
    expect(proxy.stderr() + proxy.stdout() + status.stdout + status.stderr).not.toContain(CANARY);
  });

  it("drains in-flight requests on SIGTERM, and a second signal exits at once", async () => {
    // An upstream that never answers keeps one request in flight.
    const hang = createServer(() => {});
    servers.push(hang);
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
    const upstream = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/v1`;
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        shutdownGraceMs: 20_000,
        backends: { slow: { type: "openai", baseUrl: upstream } },
      }),
    );
    const proxy = await start(["--port", "0"]);
    const pending = fetch(`${proxy.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "slow:m", messages: [{ role: "user", content: "hi" }] }),
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    proxy.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    expect(proxy.child.exitCode).toBeNull(); // still draining
    expect(proxy.stderr()).toContain("draining");
    const started = Date.now();
    proxy.child.kill("SIGTERM");
    const exit = await proxy.exited;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(exit.code).toBe(1);
    expect(proxy.stderr()).toContain("exiting now");
    await pending;
  });

  it("binds a non-loopback host when a client key is set, and requires that key", async () => {
    const proxy = await start(
      ["--host", "0.0.0.0", "--port", "0"],
      cliEnv(home, { SWITCHYARD_API_KEY: CANARY }),
    );
    expect(proxy.stderr()).toContain("clients must send the client key");
    const base = `http://127.0.0.1:${proxy.port}`;
    const body = JSON.stringify({ model: "echo:x", messages: [{ role: "user", content: "hi" }] });
    const headers = { "content-type": "application/json" };
    const anonymous = await fetch(`${base}/v1/chat/completions`, { method: "POST", headers, body });
    expect(anonymous.status).toBe(401);
    const keyed = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${CANARY}` },
      body,
    });
    expect(keyed.status).toBe(200);
    // `status` finds the key in SWITCHYARD_API_KEY, like every client command.
    const status = await runCli(["status", "--port", String(proxy.port)], {
      env: cliEnv(home, { SWITCHYARD_API_KEY: CANARY }),
    });
    expect(status.code).toBe(0);
    proxy.child.kill("SIGINT");
    expect((await proxy.exited).code).toBe(0);
    expect(proxy.stderr() + proxy.stdout() + status.stdout).not.toContain(CANARY);
  });

  it("refuses a non-loopback host without a client key", async () => {
    const run = await runCli(["proxy", "--host", "0.0.0.0", "--port", "0"], { env: cliEnv(home) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("refusing to listen on 0.0.0.0 without a client key");
    expect(run.stderr).toContain("SWITCHYARD_API_KEY");
  });

  it("says clearly when the port is taken", async () => {
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = (taken.address() as AddressInfo).port;
    const run = await runCli(["proxy", "--port", String(port)], { env: cliEnv(home) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(run.stderr).not.toContain("    at ");
  });
});

describe("switchyard status", () => {
  it("says no proxy is running and exits 1", async () => {
    const { home, cleanup } = await tempHome();
    try {
      // A port that was just free: nothing listens there.
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
      const port = (probe.address() as AddressInfo).port;
      await new Promise((r) => probe.close(r));
      const run = await runCli(["status"], {
        env: cliEnv(home, { SWITCHYARD_PORT: String(port) }),
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`no switchyard proxy is running at http://127.0.0.1:${port}`);
      expect(run.stderr).toContain("switchyard proxy");
    } finally {
      await cleanup();
    }
  });

  it("does not take another program's JSON for a proxy", async () => {
    const { home, cleanup } = await tempHome();
    const other = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [] }));
    });
    try {
      await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
      const port = (other.address() as AddressInfo).port;
      const run = await runCli(["status", "--port", String(port)], { env: cliEnv(home) });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `the server at http://127.0.0.1:${port} is not a switchyard proxy`,
      );
    } finally {
      other.closeAllConnections();
      await new Promise((r) => other.close(r));
      await cleanup();
    }
  });
});
