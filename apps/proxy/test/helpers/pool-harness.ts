import type { ServerResponse } from "node:http";
import type { BackendConfig, ResolvedConfig } from "../../src/config/types.js";
import { type RequestLogEntry, type RunningServer, startServer } from "../../src/server/index.js";
import { testConfig } from "./config.js";
import { anthropicMockHandler, openAIMockHandler } from "./mock-behaviors.js";
import {
  type MockHandler,
  type MockUpstream,
  type RecordedRequest,
  sendJson,
  startMockUpstream,
} from "./mock-upstream.js";

/** Keys of the two targets; the mocks check them. */
export const KEY_A = "sk-target-a-1f2e3d4c5b6a7980";
export const KEY_B = "sk-target-b-0897a6b5c4d3e2f1";

/** What a scripted target does with its next requests. */
export type TargetMode =
  | { kind: "ok"; headers?: Record<string, string> }
  | { kind: "status"; status: number; headers?: Record<string, string> };

/** One mock target: its upstream, its mode, and whether the key it got was its own. */
export interface MockTarget {
  upstream: MockUpstream;
  mode: TargetMode;
  /** Requests that reached the model (not `/models`). */
  calls(): RecordedRequest[];
  /** Requests whose credential was not this target's key. */
  wrongKey: number;
}

const rateLimitBody = {
  openai: {
    error: { message: "slow down", type: "rate_limit_error", code: "rate_limit_exceeded" },
  },
  anthropic: { type: "error", error: { type: "rate_limit_error", message: "slow down" } },
};

/** Starts one mock target that speaks `dialect` and only accepts `key`. */
export async function startMockTarget(
  dialect: "openai" | "anthropic",
  key: string,
): Promise<MockTarget> {
  const base = dialect === "openai" ? openAIMockHandler : anthropicMockHandler;
  const target: MockTarget = {
    upstream: undefined as unknown as MockUpstream,
    mode: { kind: "ok" },
    calls: () => target.upstream.requests.filter((r) => !r.path.includes("/models")),
    wrongKey: 0,
  };
  const handler: MockHandler = async (request, res: ServerResponse) => {
    const got =
      dialect === "openai"
        ? request.headers.authorization
        : `Bearer ${request.headers["x-api-key"]}`;
    if (got !== `Bearer ${key}`) {
      target.wrongKey += 1;
      sendJson(res, 401, { error: { message: "wrong key", type: "authentication_error" } });
      return;
    }
    const mode = target.mode;
    if (mode.kind === "status") {
      const body = mode.status === 429 ? rateLimitBody[dialect] : { error: { message: "kaput" } };
      sendJson(res, mode.status, body, mode.headers);
      return;
    }
    for (const [name, value] of Object.entries(mode.headers ?? {})) res.setHeader(name, value);
    await base(request, res);
  };
  target.upstream = await startMockUpstream(handler);
  return target;
}

/** A proxy with one pooled backend of two mock targets, `a` then `b`. */
export interface PoolHarness {
  server: RunningServer;
  a: MockTarget;
  b: MockTarget;
  logs: RequestLogEntry[];
  /** Log entries of model calls (not `/status`, `/pool`). */
  apiLogs(): RequestLogEntry[];
  close(): Promise<void>;
}

/** Starts two mock targets and a proxy whose backend `pooled` (type `dialect`) spreads over them. */
export async function startPoolHarness(
  dialect: "openai" | "anthropic",
  configure: (urls: { a: string; b: string }) => Partial<ResolvedConfig> = () => ({}),
): Promise<PoolHarness> {
  const a = await startMockTarget(dialect, KEY_A);
  const b = await startMockTarget(dialect, KEY_B);
  const suffix = dialect === "openai" ? "/v1" : "";
  const urls = { a: `${a.upstream.url}${suffix}`, b: `${b.upstream.url}${suffix}` };
  const pooled: BackendConfig = {
    type: dialect,
    targets: [
      { id: "a", baseUrl: urls.a, apiKey: KEY_A },
      { id: "b", baseUrl: urls.b, apiKey: KEY_B },
    ],
  };
  const config = testConfig({
    backends: { echo: { type: "echo" }, pooled },
    routes: [{ match: "*", backend: "pooled" }],
    ...configure(urls),
  });
  const logs: RequestLogEntry[] = [];
  const server = await startServer({
    config,
    version: "0.0.0-test",
    requestLog: (entry) => logs.push(entry),
  });
  return {
    server,
    a,
    b,
    logs,
    apiLogs: () => logs.filter((e) => e.path.startsWith("/v1/")),
    close: async () => {
      await server.close(100);
      await Promise.all([a.upstream.close(), b.upstream.close()]);
    },
  };
}

/** A JSON value read loosely in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary admin JSON.
export type LooseJson = Record<string, any>;

/** GET a JSON admin endpoint of the proxy. */
export async function getJson(server: RunningServer, path: string): Promise<LooseJson> {
  const response = await fetch(`${server.url}${path}`);
  return (await response.json()) as LooseJson;
}
