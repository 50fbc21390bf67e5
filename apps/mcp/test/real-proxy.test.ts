import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SpawnedServer, spawnServer, tempHome } from "./helpers/spawn-server.js";

// The real `switchyard` CLI, when its package has been built (talked to over HTTP only).
const PROXY_CLI = fileURLToPath(new URL("../../proxy/dist/cli.js", import.meta.url));

async function startProxy(home: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [PROXY_CLI, "proxy", "--port", "0", "--host", "127.0.0.1"],
    {
      env: { PATH: process.env.PATH ?? "", SWITCHYARD_HOME: home },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`proxy did not start: ${stderr}`)), 15_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /listening on http:\/\/[^:\s]+:(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`proxy exited with ${code}: ${stderr}`));
    });
  });
  return { child, port };
}

// A real upstream key in the proxy's config: no tool result may ever show it.
const UPSTREAM_KEY = "sk-real-proxy-canary-5e8d1f";

describe.skipIf(!existsSync(PROXY_CLI))("against the real switchyard proxy", () => {
  const home = tempHome({
    // Port 9 (discard) on loopback: nothing listens, so the doctor's probe fails fast.
    backends: { local: { type: "openai", baseUrl: "http://127.0.0.1:9/v1", apiKey: UPSTREAM_KEY } },
    budgets: [{ name: "daily", limitUsd: 5, period: "day" }],
  });
  const results: unknown[] = [];
  let proxy: { child: ChildProcess; port: number };
  let server: SpawnedServer;

  beforeAll(async () => {
    proxy = await startProxy(home.dir);
    // One request through the proxy so the request log has something to show.
    const res = await fetch(`http://127.0.0.1:${proxy.port}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "echo:hello", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
    server = await spawnServer({
      args: ["--enable-actions"],
      env: { SWITCHYARD_PORT: String(proxy.port) },
    });
    const call = server.call;
    server.call = async (name, args) => {
      const result = await call(name, args);
      results.push(result);
      return result;
    };
  });

  afterAll(async () => {
    // Every result seen in this file, checked once at the end.
    expect(JSON.stringify(results)).not.toContain(UPSTREAM_KEY);
    await server?.close();
    if (proxy?.child.exitCode === null) {
      const exited = new Promise((r) => proxy.child.once("exit", r));
      proxy.child.kill("SIGTERM");
      await exited;
    }
    home.remove();
  });

  it("status reports the running proxy, its version and its backends", async () => {
    const result = await server.call("status");
    expect(result.isError).toBeFalsy();
    const s = result.structuredContent as {
      up: boolean;
      version?: string;
      port?: number;
      backends: Array<{ name: string; type: string }>;
      counts?: { requests: number };
    };
    expect(s.up).toBe(true);
    expect(typeof s.version).toBe("string");
    expect(s.port).toBe(proxy.port);
    expect(s.backends).toContainEqual(expect.objectContaining({ name: "echo", type: "echo" }));
    expect(s.counts?.requests).toBeGreaterThanOrEqual(1);
  });

  it("recent_requests shows the request that went through, and why it went to echo", async () => {
    const result = await server.call("recent_requests", { limit: 5 });
    expect(result.isError).toBeFalsy();
    const { requests } = result.structuredContent as { requests: Array<Record<string, unknown>> };
    const chat = requests.find((r) => r.path === "/v1/chat/completions");
    expect(chat).toMatchObject({ method: "POST", backend: "echo", status: 200, route: "prefix" });
    expect(chat?.routeReason).toContain("explicitly");
  });

  it("backends shows the pooled target with live headroom from GET /pool", async () => {
    const result = await server.call("backends");
    expect(result.isError).toBeFalsy();
    const s = result.structuredContent as {
      poolAvailable: boolean;
      backends: Array<{ name: string; hasKey: boolean; targets: Array<Record<string, unknown>> }>;
    };
    expect(s.poolAvailable).toBe(true);
    const local = s.backends.find((b) => b.name === "local");
    expect(local?.hasKey).toBe(true);
    expect(local?.targets[0]).toMatchObject({ headroom: expect.any(Number), breaker: "closed" });
  });

  it("usage, guard and doctor read the real endpoints", async () => {
    const usage = await server.call("usage", { period: "today" });
    expect(usage.isError).toBeFalsy();
    expect(usage.structuredContent).toMatchObject({
      by: "backend",
      rows: [expect.objectContaining({ key: "echo", requests: 1 })],
    });
    const guard = await server.call("guard");
    expect(guard.structuredContent).toMatchObject({
      enabled: true,
      state: "ok",
      budgets: [expect.objectContaining({ name: "daily", limitUsd: 5, period: "day" })],
    });
    const doctor = await server.call("doctor");
    expect(doctor.isError).toBeFalsy();
    const { report, text } = doctor.structuredContent as {
      report: { checks: unknown[] };
      text: string;
    };
    expect(report.checks.length).toBeGreaterThan(0);
    expect(text).toContain("backend:local");
  });

  it("the acting tools resume the guard and ask the echo backend", async () => {
    const resume = await server.call("resume");
    expect(resume.structuredContent).toMatchObject({ resumed: true, state: "ok" });
    const ask = await server.call("ask_model", { model: "echo:hello", prompt: "ping from mcp" });
    expect(ask.isError).toBeFalsy();
    expect((ask.structuredContent as { text: string }).text).toContain("ping from mcp");
  });
});
