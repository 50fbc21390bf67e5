import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CANARY_KEY,
  type MockAdminServer,
  startMockAdminServer,
} from "./helpers/mock-admin-server.js";
import {
  type MockAnthropicServer,
  startMockAnthropicServer,
} from "./helpers/mock-anthropic-server.js";
import { CLI_PATH, tempHome } from "./helpers/spawn-server.js";

const CLAUDE = fileURLToPath(new URL("../node_modules/.bin/claude", import.meta.url));
const run = promisify(execFile);

let admin: MockAdminServer;
let anthropic: MockAnthropicServer;
let home: ReturnType<typeof tempHome>;

beforeAll(async () => {
  admin = await startMockAdminServer();
  anthropic = await startMockAnthropicServer({ callTool: "mcp__switchyard__status" });
  home = tempHome();
});

afterAll(async () => {
  await admin?.close();
  await anthropic?.close();
  home?.remove();
});

describe.skipIf(!existsSync(CLAUDE))("the real Claude Code CLI", () => {
  it("connects to switchyard-mcp via --mcp-config, lists its tools and calls status", async () => {
    const mcpConfig = join(home.dir, "mcp.json");
    writeFileSync(
      mcpConfig,
      JSON.stringify({
        mcpServers: {
          switchyard: {
            command: process.execPath,
            args: [CLI_PATH],
            env: { SWITCHYARD_URL: admin.url, SWITCHYARD_HOME: home.dir },
          },
        },
      }),
    );
    const { stdout } = await run(
      CLAUDE,
      [
        "-p",
        "is switchyard up?",
        "--output-format",
        "stream-json",
        "--verbose",
        "--mcp-config",
        mcpConfig,
        "--strict-mcp-config",
        "--allowedTools",
        "mcp__switchyard__status",
      ],
      {
        cwd: home.dir,
        timeout: 90_000,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home.dir,
          ANTHROPIC_BASE_URL: anthropic.url,
          ANTHROPIC_API_KEY: "x",
          DISABLE_TELEMETRY: "1",
          DISABLE_AUTOUPDATER: "1",
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        },
      },
    );
    const events = stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const init = events.find((e) => e.type === "system" && e.subtype === "init") as {
      tools: string[];
      mcp_servers: Array<{ name: string; status: string }>;
    };
    expect(init.mcp_servers).toContainEqual(
      expect.objectContaining({ name: "switchyard", status: "connected" }),
    );
    const ours = init.tools.filter((t) => t.startsWith("mcp__switchyard__")).sort();
    expect(ours).toEqual([
      "mcp__switchyard__backends",
      "mcp__switchyard__doctor",
      "mcp__switchyard__guard",
      "mcp__switchyard__recent_requests",
      "mcp__switchyard__status",
      "mcp__switchyard__usage",
    ]);

    // The model (our mock) asked for the status tool; Claude Code ran it and sent back the result.
    const results = anthropic.bodies
      .flatMap((b) => (b.messages as Array<{ content: unknown }>) ?? [])
      .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
      .filter(
        (c: { type?: string; tool_use_id?: string }) =>
          c.type === "tool_result" && c.tool_use_id === "toolu_switchyard_1",
      );
    expect(results).toHaveLength(1);
    const resultText = JSON.stringify(results[0]);
    expect(resultText).toContain("0.9.0-mock");
    expect(resultText).toContain('\\"up\\":true');
    expect(JSON.stringify(anthropic.bodies)).not.toContain(CANARY_KEY);
    expect(admin.seen.some((r) => r.url === "/status")).toBe(true);
  }, 120_000);
});
