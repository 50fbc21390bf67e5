import type { ResolvedConfig } from "../../src/config/types.js";
import type { RequestLogEntry, RunningServer } from "../../src/server/index.js";
import { startServer } from "../../src/server/index.js";
import { testConfig } from "./config.js";
import { CANARY_ANTHROPIC_KEY, CANARY_OPENAI_KEY } from "./harness.js";
import { anthropicMockHandler, openAIMockHandler } from "./mock-behaviors.js";
import { type MockHandler, type MockUpstream, startMockUpstream } from "./mock-upstream.js";

/** A proxy with one backend of every kind that serves `/v1/responses`. */
export interface ResponsesHarness {
  server: RunningServer;
  /** Chat Completions mock (also answers `/v1/responses` for the native backend). */
  openai: MockUpstream;
  anthropic: MockUpstream;
  logs: RequestLogEntry[];
  close(): Promise<void>;
}

/**
 * Backends: `anthropic-mock` (translated to Messages), `openai-mock` (translated to Chat
 * Completions), `openai-native` (`responses: "native"`, passed through), `responses-only`
 * (`responsesOnly: true`: every endpoint through the upstream's `/responses`), `echo`.
 */
export async function startResponsesHarness(
  handlers: { openai?: MockHandler; anthropic?: MockHandler } = {},
  extra: Pick<Partial<ResolvedConfig>, "home" | "configPath" | "maxBodyBytes"> & {
    /** More backends, beside the ones above (a CLI backend, another `responsesOnly`). */
    backends?: ResolvedConfig["backends"];
  } = {},
): Promise<ResponsesHarness> {
  const { backends: more, ...overrides } = extra;
  const openai = await startMockUpstream(handlers.openai ?? openAIMockHandler);
  const anthropic = await startMockUpstream(handlers.anthropic ?? anthropicMockHandler);
  const logs: RequestLogEntry[] = [];
  const base = `${openai.url}/v1`;
  const server = await startServer({
    config: testConfig({
      backends: {
        echo: { type: "echo" },
        "anthropic-mock": {
          type: "anthropic",
          baseUrl: anthropic.url,
          apiKey: CANARY_ANTHROPIC_KEY,
        },
        "openai-mock": { type: "openai", baseUrl: base, apiKey: CANARY_OPENAI_KEY },
        "openai-native": {
          type: "openai",
          baseUrl: base,
          apiKey: CANARY_OPENAI_KEY,
          responses: "native",
        },
        "responses-only": {
          type: "openai",
          baseUrl: base,
          apiKey: CANARY_OPENAI_KEY,
          responsesOnly: true,
        },
        ...more,
      },
      routes: [{ match: "claude-*", backend: "anthropic-mock" }],
      ...overrides,
    }),
    version: "0.0.0-test",
    requestLog: (entry) => logs.push(entry),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  return {
    server,
    openai,
    anthropic,
    logs,
    close: async () => {
      await server.close(100);
      await Promise.all([openai.close(), anthropic.close()]);
    },
  };
}

/** The function tool the Responses tests ask for (`get_weather`, one string `city`). */
export const WEATHER_TOOL = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};
