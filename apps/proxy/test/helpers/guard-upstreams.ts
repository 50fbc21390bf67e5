import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResolvedConfig } from "../../src/config/types.js";
import { type RunningServer, startServer } from "../../src/server/index.js";
import { testConfig } from "./config.js";
import {
  type MockHandler,
  type MockUpstream,
  sendJson,
  sendSse,
  startMockUpstream,
} from "./mock-upstream.js";

/** Every mock answer reports exactly these tokens. */
export const INPUT_TOKENS = 1000;
export const OUTPUT_TOKENS = 500;
/** Config `prices` for the mock models: $1 / $2 per million tokens. */
export const TEST_PRICES = {
  "gpt-test*": { input: 1, output: 2 },
  "claude-test*": { input: 1, output: 2 },
};
/** What one mock request costs with {@link TEST_PRICES}: $0.002. */
export const REQUEST_COST = (INPUT_TOKENS * 1 + OUTPUT_TOKENS * 2) / 1e6;

/** How the mocks answer: normally, or with a billing error. */
export type MockMode = "ok" | "payment-required" | "insufficient-quota" | "overage";

/** Headers of an Anthropic answer served from paid overage (allowance used up, overage allowed). */
export const OVERAGE_HEADERS = {
  "anthropic-ratelimit-unified-status": "rejected",
  "anthropic-ratelimit-unified-overage-status": "allowed",
};

/** OpenAI-compatible mock with fixed usage (JSON and SSE, usage in the last chunk). */
export function openAIHandler(state: { mode: MockMode; gapMs?: number }): MockHandler {
  return async (request, res) => {
    if (state.mode === "payment-required") {
      sendJson(res, 402, { error: { message: "Insufficient credits", code: 402 } });
      return;
    }
    if (state.mode === "insufficient-quota") {
      sendJson(res, 429, {
        error: {
          message: "You exceeded your current quota",
          type: "insufficient_quota",
          code: "insufficient_quota",
        },
      });
      return;
    }
    const model = String(request.body?.model ?? "gpt-test");
    const usage = {
      prompt_tokens: INPUT_TOKENS,
      completion_tokens: OUTPUT_TOKENS,
      total_tokens: INPUT_TOKENS + OUTPUT_TOKENS,
    };
    const base = { id: "chatcmpl-1", object: "chat.completion", created: 1700000000, model };
    if (request.body?.stream !== true) {
      sendJson(res, 200, {
        ...base,
        choices: [
          { index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" },
        ],
        usage,
      });
      return;
    }
    const chunk = (body: object) =>
      `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", ...body })}\n\n`;
    await sendSse(
      res,
      [
        chunk({
          choices: [{ index: 0, delta: { role: "assistant", content: "hi" }, finish_reason: null }],
        }),
        chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
        chunk({ choices: [], usage }),
        "data: [DONE]\n\n",
      ],
      state.gapMs ?? 0,
    );
  };
}

/** Anthropic mock with fixed usage (JSON and SSE: input in message_start, output in message_delta). */
export function anthropicHandler(state: { mode: MockMode }): MockHandler {
  return async (request, res) => {
    if (state.mode !== "ok" && state.mode !== "overage") {
      sendJson(res, 402, {
        type: "error",
        error: { type: "billing_error", message: "payment required" },
      });
      return;
    }
    const model = String(request.body?.model ?? "claude-test");
    const message = { id: "msg_1", type: "message", role: "assistant", model, stop_sequence: null };
    if (request.body?.stream !== true) {
      sendJson(
        res,
        200,
        {
          ...message,
          content: [{ type: "text", text: "hi" }],
          stop_reason: "end_turn",
          usage: { input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS },
        },
        state.mode === "overage" ? OVERAGE_HEADERS : {},
      );
      return;
    }
    const event = (type: string, body: object) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
    await sendSse(res, [
      event("message_start", {
        message: {
          ...message,
          content: [],
          stop_reason: null,
          usage: { input_tokens: INPUT_TOKENS, output_tokens: 1 },
        },
      }),
      event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
      event("content_block_delta", { index: 0, delta: { type: "text_delta", text: "hi" } }),
      event("content_block_stop", { index: 0 }),
      event("message_delta", {
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: OUTPUT_TOKENS },
      }),
      event("message_stop", {}),
    ]);
  };
}

/** A proxy in a temporary home with an `oa` (OpenAI) and an `an` (Anthropic) mock backend. */
export interface GuardRig {
  home: string;
  server: RunningServer;
  openai: MockUpstream;
  anthropic: MockUpstream;
  state: { mode: MockMode; gapMs?: number };
  config: ResolvedConfig;
  /** Starts a fresh proxy on the same home (after `server.close()`). */
  restart(): Promise<RunningServer>;
  close(): Promise<void>;
}

/** Starts the mocks and a proxy whose guard is configured by `overrides`. */
export async function startGuardRig(overrides: Partial<ResolvedConfig> = {}): Promise<GuardRig> {
  const home = await mkdtemp(join(tmpdir(), "sy-guard-"));
  const state: { mode: MockMode; gapMs?: number } = { mode: "ok" };
  const openai = await startMockUpstream(openAIHandler(state));
  const anthropic = await startMockUpstream(anthropicHandler(state));
  const config = testConfig({
    home,
    configPath: join(home, "config.json"),
    backends: {
      echo: { type: "echo" },
      oa: { type: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-test-oa" },
      an: { type: "anthropic", baseUrl: anthropic.url, apiKey: "sk-test-an" },
    },
    routes: [
      { match: "gpt-*", backend: "oa" },
      { match: "claude-*", backend: "an" },
    ],
    prices: TEST_PRICES,
    overageGuard: { enabled: true, behavior: "halt", cooldownMs: 0, notifyOs: false },
    ...overrides,
  });
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const start = () => startServer({ config, version: "0.0.0-test", logger: quiet });
  const rig: GuardRig = {
    home,
    server: await start(),
    openai,
    anthropic,
    state,
    config,
    async restart() {
      rig.server = await start();
      return rig.server;
    },
    async close() {
      await rig.server.close(100);
      await Promise.all([openai.close(), anthropic.close()]);
      await rm(home, { recursive: true, force: true });
    },
  };
  return rig;
}

/** GET a JSON admin endpoint of the proxy. */
export async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}
