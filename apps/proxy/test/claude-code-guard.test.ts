/**
 * claude-code quota exhaustion reaches the rest of the proxy: the overage guard halts that
 * backend, and a route with a `fallback` sends automatic traffic around it. The CLI is a
 * stand-in that replays recorded `claude` output with the exhaustion text swapped in.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClaudeCodeBackendConfig } from "../src/config/types.js";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";

const fixture = join(
  import.meta.dirname,
  "../src/backends/claude-code/__fixtures__/not-logged-in.jsonl",
);
const exhausted = "You're out of extra usage \u00b7 resets 4am (UTC)";
const script = `#!/usr/bin/env node
const fs = require("node:fs");
process.stdin.resume();
process.stdin.on("end", () => {
  const lines = fs.readFileSync(${JSON.stringify(fixture)}, "utf8").split("\\n").filter(Boolean);
  for (const line of lines) process.stdout.write(line.split("Not logged in \\u00b7 Please run /login").join(${JSON.stringify(exhausted)}) + "\\n");
  process.exitCode = 1;
});
`;

describe("claude-code exhaustion and the rest of the proxy", () => {
  let server: RunningServer;
  let home: string;
  let anthropic: Anthropic;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "switchyard-ccg-"));
    const fake = join(home, "claude");
    writeFileSync(fake, script);
    chmodSync(fake, 0o755);
    const claude: ClaudeCodeBackendConfig = { type: "claude-code", binary: fake, cwd: home };
    server = await startServer({
      config: testConfig({
        home,
        backends: { echo: { type: "echo" }, claude },
        routes: [{ match: "claude-*", backend: "claude", fallback: "echo" }],
        overageGuard: { enabled: true, behavior: "halt", cooldownMs: 60_000, notifyOs: false },
      }),
      version: "test",
    });
    anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await server?.close(500);
    rmSync(home, { recursive: true, force: true });
  });

  const ask = (model: string) =>
    anthropic.messages
      .create({ model, max_tokens: 10, messages: [{ role: "user", content: "ping" }] })
      .catch((e: unknown) => e as Error & { status?: number });

  it("routes a claude-* model to the fallback while there is no quota snapshot", async () => {
    const answer = (await ask("claude-sonnet-4")) as Anthropic.Message;
    expect(answer.content[0]).toMatchObject({ type: "text", text: "ping" });
    const { requests } = (await (await fetch(`${server.url}/requests?limit=1`)).json()) as {
      requests: Array<{ backend: string; route: string }>;
    };
    expect(requests[0]?.backend).toBe("echo");
    expect(requests[0]?.route).toContain("fallback (claude: no quota snapshot");
  });

  it("halts the claude backend in the overage guard once the CLI says usage is exhausted", async () => {
    const first = await ask("claude:sonnet");
    expect(first).toBeInstanceOf(Anthropic.RateLimitError);
    const guard = (await (await fetch(`${server.url}/guard`)).json()) as {
      state: string;
      halts?: Array<{ backend?: string }>;
    };
    expect(guard.state).toBe("halted");
    expect(JSON.stringify(guard)).toContain("claude");
    const second = (await ask("claude:sonnet")) as InstanceType<typeof Anthropic.APIError>;
    expect(second).toBeInstanceOf(Anthropic.APIError);
    expect(second.status).toBe(503);
    expect(second.message).toContain("switchyard resume");
    // Other backends keep serving: the halt is scoped to the backend that signalled.
    const echo = (await ask("echo:any")) as Anthropic.Message;
    expect(echo.content[0]).toMatchObject({ type: "text", text: "ping" });
  });
});
