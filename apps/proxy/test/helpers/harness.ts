import type { ResolvedConfig } from "../../src/config/types.js";
import { type RequestLogEntry, type RunningServer, startServer } from "../../src/server/index.js";
import { testConfig } from "./config.js";
import { anthropicMockHandler, openAIMockHandler } from "./mock-behaviors.js";
import { type MockUpstream, startMockUpstream } from "./mock-upstream.js";

/** Backend keys that must never show up anywhere a client or a log can see. */
export const CANARY_OPENAI_KEY = "sk-canary-openai-5b2d4f6a8c0e7f3a9c1e";
export const CANARY_ANTHROPIC_KEY = "sk-ant-canary-9c1e5b2d4f6a8c0e7f3a";

/** A proxy wired to a mock OpenAI-compatible upstream and a mock Anthropic upstream. */
export interface Harness {
  server: RunningServer;
  openai: MockUpstream;
  anthropic: MockUpstream;
  logs: RequestLogEntry[];
  loggerLines: string[];
  config: ResolvedConfig;
  close(): Promise<void>;
}

/** Starts mocks + proxy. Backends: `openai-mock`, `anthropic-mock`, `echo`. */
export async function startHarness(overrides: Partial<ResolvedConfig> = {}): Promise<Harness> {
  const openai = await startMockUpstream(openAIMockHandler);
  const anthropic = await startMockUpstream(anthropicMockHandler);
  const logs: RequestLogEntry[] = [];
  const loggerLines: string[] = [];
  const config = testConfig({
    backends: {
      echo: { type: "echo" },
      "openai-mock": { type: "openai", baseUrl: `${openai.url}/v1`, apiKey: CANARY_OPENAI_KEY },
      "anthropic-mock": { type: "anthropic", baseUrl: anthropic.url, apiKey: CANARY_ANTHROPIC_KEY },
    },
    routes: [
      { match: "claude-*", backend: "anthropic-mock" },
      { match: "gpt-*", backend: "openai-mock" },
      { match: "alias-fast", backend: "openai-mock", model: "gpt-mock-2" },
    ],
    ...overrides,
  });
  const server = await startServer({
    config,
    version: "0.0.0-test",
    requestLog: (entry) => logs.push(entry),
    logger: {
      info: (m) => loggerLines.push(m),
      warn: (m) => loggerLines.push(m),
      error: (m) => loggerLines.push(m),
    },
  });
  return {
    server,
    openai,
    anthropic,
    logs,
    loggerLines,
    config,
    close: async () => {
      await server.close(100);
      await Promise.all([openai.close(), anthropic.close()]);
    },
  };
}

/** Waits until `predicate` holds (log lines arrive just after the response). */
export async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error("waitFor: condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
