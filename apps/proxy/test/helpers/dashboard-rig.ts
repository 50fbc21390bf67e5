import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRecorder, createScrubber } from "@switchyard/template-capture";
import OpenAI from "openai";
import type { ResolvedConfig } from "../../src/config/types.js";
import { type RunningServer, startServer } from "../../src/server/index.js";
import { testConfig } from "./config.js";
import { type MockMode, openAIHandler, TEST_PRICES } from "./guard-upstreams.js";
import { type MockUpstream, startMockUpstream } from "./mock-upstream.js";
import { KEY_A, KEY_B, type MockTarget, startMockTarget } from "./pool-harness.js";

/**
 * A proxy with everything the dashboard shows: `oa` (priced OpenAI mock, its own $0.005/day
 * budget so three calls halt it), `pooled` (two targets reporting rate limits), `echo` as
 * the default backend, a month budget over all traffic; the home is a temp dir.
 */
export interface DashboardRig {
  server: RunningServer;
  url: string;
  state: { mode: MockMode };
  a: MockTarget;
  b: MockTarget;
  chat(model: string): Promise<unknown>;
  /** Puts both pooled targets back to answering with their rate-limit headers. */
  restoreTargets(): void;
  close(): Promise<void>;
}

/** Rate-limit headers the pooled targets send (OpenAI's names). */
const limits = (remaining: number, tokens: number) => ({
  "x-ratelimit-limit-requests": "100",
  "x-ratelimit-remaining-requests": String(remaining),
  "x-ratelimit-reset-requests": "45s",
  "x-ratelimit-limit-tokens": "40000",
  "x-ratelimit-remaining-tokens": String(tokens),
  "x-ratelimit-reset-tokens": "12s",
});

/**
 * Starts the rig; `overrides` go into the config (e.g. an `apiKey`); `capture` records every
 * exchange to `<home>/capture.har` as `switchyard proxy --capture` does.
 */
export async function startDashboardRig(
  overrides: Partial<ResolvedConfig> = {},
  options: { capture?: boolean } = {},
): Promise<DashboardRig> {
  const home = await mkdtemp(join(tmpdir(), "sy-dash-"));
  const state: { mode: MockMode } = { mode: "ok" };
  const oa: MockUpstream = await startMockUpstream(openAIHandler(state));
  const a = await startMockTarget("openai", KEY_A);
  const b = await startMockTarget("openai", KEY_B);
  const restoreTargets = () => {
    a.mode = { kind: "ok", headers: limits(62, 31000) };
    b.mode = { kind: "ok", headers: limits(9, 5200) };
  };
  restoreTargets();
  const config = testConfig({
    home,
    configPath: join(home, "config.json"),
    backends: {
      echo: { type: "echo" },
      oa: { type: "openai", baseUrl: `${oa.url}/v1`, apiKey: "sk-test-oa" },
      pooled: {
        type: "openai",
        targets: [
          { id: "east", baseUrl: `${a.upstream.url}/v1`, apiKey: KEY_A },
          { id: "west", baseUrl: `${b.upstream.url}/v1`, apiKey: KEY_B },
        ],
      },
    },
    routes: [
      { match: "gpt-*", backend: "oa" },
      { match: "pool-*", backend: "pooled" },
    ],
    defaultBackend: "echo",
    prices: { "gpt-*": TEST_PRICES["gpt-test*"], "pool-*": TEST_PRICES["gpt-test*"] },
    budgets: [
      { name: "oa-daily", backend: "oa", limitUsd: 0.005, period: "day" },
      { name: "everything", limitUsd: 5, period: "month" },
    ],
    overageGuard: { enabled: true, behavior: "halt", cooldownMs: 0, notifyOs: false },
    ...overrides,
  });
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const recorder = options.capture
    ? await createRecorder({
        path: join(home, "capture.har"),
        creator: { name: "switchyard", version: "0.0.0-test" },
        scrubber: createScrubber({ secrets: config.apiKey ? [config.apiKey] : [] }),
      })
    : undefined;
  const server = await startServer({
    config,
    version: "0.0.0-test",
    logger: quiet,
    ...(recorder !== undefined ? { capture: recorder } : {}),
  });
  const client = new OpenAI({
    baseURL: `${server.url}/v1`,
    apiKey: config.apiKey ?? "x",
    maxRetries: 0,
  });
  return {
    server,
    url: server.url,
    state,
    a,
    b,
    restoreTargets,
    chat: (model) =>
      client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }),
    async close() {
      await server.close(100);
      await recorder?.close();
      await Promise.all([oa.close(), a.upstream.close(), b.upstream.close()]);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** The system Chromium (Debian's `chromium`), or undefined when it is not installed. */
export function chromiumPath(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  return candidates.find((p): p is string => p !== undefined && p !== "" && existsSync(p));
}
