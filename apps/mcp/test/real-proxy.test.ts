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

describe.skipIf(!existsSync(PROXY_CLI))("against the real switchyard proxy", () => {
  const home = tempHome();
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
    server = await spawnServer({ env: { SWITCHYARD_PORT: String(proxy.port) } });
  });

  afterAll(async () => {
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
});
