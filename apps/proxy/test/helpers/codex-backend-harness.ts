import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export { processesIn } from "./processes.js";

import { createCodexBackend } from "../../src/backends/codex/codex-backend.js";
import type { CodexBackendConfig, ResolvedConfig } from "../../src/config/types.js";
import { type RunningServer, startServer } from "../../src/server/index.js";
import { codexBin, createCodexHome } from "./codex.js";
import { testConfig } from "./config.js";
import { responsesMockHandler } from "./mock-responses.js";
import { type MockUpstream, startMockUpstream } from "./mock-upstream.js";

type Json = Record<string, unknown>;

/**
 * The real Codex CLI as a switchyard backend, pointed at a local mock Responses API through
 * its own configuration (a temp CODEX_HOME whose config.toml names a custom provider): the
 * stand-in for a logged-in ChatGPT plan. HOME and CODEX_HOME of the child are temp dirs.
 */
export interface CodexBackendHarness {
  mock: MockUpstream;
  server: RunningServer;
  /** The switchyard home. */
  home: string;
  /** CODEX_HOME (and HOME) of the child. */
  codexHome: string;
  /** The backend's working directory. */
  cwd: string;
  /** Requests the CLI sent to the mock's `/v1/responses`. */
  responses(): Json[];
  close(): Promise<void>;
}

/** The text of every input item the CLI sent, in order, as `role: text`. */
export function inputTexts(body: Json): string[] {
  return ((body.input ?? []) as Json[]).map((item) => {
    const content = Array.isArray(item.content) ? (item.content as Json[]) : [];
    return `${String(item.role ?? item.type)}: ${content.map((c) => String(c.text ?? "")).join("")}`;
  });
}

/** Starts the mock, a CODEX_HOME for it, and switchyard with a `codex` backend named "codex". */
export async function startCodexBackendHarness(
  options: {
    config?: Partial<CodexBackendConfig>;
    server?: Partial<ResolvedConfig>;
    /** Other backends beside "codex" (e.g. a fallback). */
    extraBackends?: ResolvedConfig["backends"];
    /** Run before the CLI's first start (e.g. write skills or MCP servers into CODEX_HOME). */
    prepare?: (codexHome: string) => void;
  } = {},
): Promise<CodexBackendHarness> {
  const home = mkdtempSync(join(tmpdir(), "switchyard-cx-home-"));
  const cwd = mkdtempSync(join(tmpdir(), "switchyard-cx-cwd-"));
  const mock = await startMockUpstream(async (request, res) => {
    if (!request.path.endsWith("/responses")) {
      res.writeHead(404).end();
      return;
    }
    const text = JSON.stringify(request.body ?? {});
    if (text.includes("SLOW")) {
      // Holds the answer until the CLI goes away (a client disconnect must kill it).
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": waiting\n\n");
      await new Promise<void>((resolve) => res.on("close", () => resolve()));
      return;
    }
    if (text.includes("EXHAUSTED")) {
      // What the ChatGPT backend answers when the plan's window is used up.
      res.writeHead(429, { "content-type": "application/json" });
      const resetsAt = Math.floor(Date.now() / 1000) + 3600;
      res.end(
        JSON.stringify({
          error: {
            type: "usage_limit_reached",
            message: "The usage limit has been reached",
            plan_type: "plus",
            resets_at: resetsAt,
          },
        }),
      );
      return;
    }
    await responsesMockHandler(request, res);
  });
  const codexHome = createCodexHome({ baseUrl: `${mock.url}/v1`, model: "gpt-mock" });
  options.prepare?.(codexHome);
  const config: CodexBackendConfig = {
    type: "codex",
    binary: codexBin,
    cwd,
    timeoutMs: 60_000,
    ...options.config,
  };
  const server = await startServer({
    config: testConfig({
      home,
      backends: { codex: config, ...options.extraBackends },
      ...options.server,
    }),
    version: "test",
    backendFactories: {
      codex: ({ name, config: c, context }) =>
        createCodexBackend({
          name,
          config: c as CodexBackendConfig,
          context,
          home,
          killGraceMs: 500,
          env: {
            HOME: codexHome,
            CODEX_HOME: codexHome,
            SWITCHYARD_CODEX_TEST_KEY: "codex-test-key",
            RUST_LOG: "error",
            NO_COLOR: "1",
          },
        }),
    },
  });
  return {
    mock,
    server,
    home,
    codexHome,
    cwd,
    responses: () =>
      mock.requests.filter((r) => r.path.endsWith("/responses")).map((r) => r.body ?? {}),
    async close() {
      await server.close(1000);
      await mock.close();
      for (const dir of [home, cwd, codexHome]) rmSync(dir, { recursive: true, force: true });
    },
  };
}
