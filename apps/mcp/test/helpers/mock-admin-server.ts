import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A canary key the mock proxy leaks on purpose; it must never reach a tool result. */
export const CANARY_KEY = "sk-canary-4f1d9a7e3b2c8d6e";

/** What the mock admin server should do. */
export interface MockAdminOptions {
  /** Answer 401 unless `x-api-key` equals this. */
  requireKey?: string;
  /** Leak this client key in an innocuous field (a misbehaving proxy). */
  echoClientKey?: string;
  /** Paths (without query) answered with 404, like an older proxy. */
  missing?: string[];
  /** Initial guard state. */
  guardState?: "ok" | "halted";
  /** `GET /requests` returns only admin calls (a log filled by health checks). */
  adminOnlyLog?: boolean;
}

/** One request the mock saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body?: unknown;
}

/** A running mock of the proxy's admin API on 127.0.0.1. */
export interface MockAdminServer {
  url: string;
  port: number;
  seen: SeenRequest[];
  guardState: "ok" | "halted";
  close(): Promise<void>;
}

const T0 = Date.parse("2026-11-21T10:00:00.000Z");

const REQUEST_ROWS = [
  {
    method: "POST",
    path: "/v1/messages",
    route: "route:claude-*",
    backend: "claude",
    model: "claude-sonnet-4-5",
    status: 200,
    latencyMs: 812,
    inputTokens: 1200,
    outputTokens: 300,
    costUsd: 0.0081,
  },
  {
    method: "POST",
    path: "/v1/chat/completions",
    route: "prefix",
    backend: "groq",
    model: "groq:llama-3.3-70b",
    upstreamModel: "llama-3.3-70b",
    status: 200,
    latencyMs: 230,
    inputTokens: 50,
    outputTokens: 20,
    costUsd: 0.00004,
  },
  {
    method: "POST",
    path: "/v1/chat/completions",
    route: "default",
    backend: "pooled",
    target: "east",
    model: "gpt-4o-mini",
    status: 429,
    latencyMs: 90,
  },
  // An admin call: no route, backend or model (the MCP server's own calls look like this).
  { method: "GET", path: "/status", status: 200, latencyMs: 2 },
];

function statusBody(opts: MockAdminOptions, port: number, guardState: string) {
  return {
    version: "0.9.0-mock",
    uptimeMs: 3_723_000,
    host: "127.0.0.1",
    port,
    backends: [
      {
        name: "groq",
        type: "openai",
        baseUrl: "https://api.groq.com/openai/v1",
        hasKey: true,
        // A misbehaving proxy: these must be redacted by the MCP server.
        apiKey: CANARY_KEY,
        headers: { Authorization: `Bearer ${CANARY_KEY}` },
        comment: `rotated ${CANARY_KEY} yesterday`,
        description: opts.echoClientKey ? `client key ${opts.echoClientKey}` : "fast llama",
      },
      {
        name: "pooled",
        type: "openai",
        hasKey: true,
        targets: [
          { id: "east", baseUrl: "http://east.local/v1", hasKey: true, weight: 2 },
          { id: "west", baseUrl: "http://west.local/v1", hasKey: false, weight: 1 },
        ],
      },
      { name: "claude", type: "claude-code", hasKey: false },
    ],
    routes: [
      { match: "claude-*", backend: "claude", fallback: "groq" },
      { match: "llama-*", backend: "groq", model: "llama-3.3-70b-versatile" },
    ],
    defaultBackend: "pooled",
    // Sign-in state of an OIDC backend; a misbehaving proxy also leaks a token here.
    auth: {
      pooled: {
        type: "oidc",
        flow: "pkce",
        signedIn: true,
        expiresAt: "2026-11-21T11:00:00.000Z",
        refreshable: true,
        accessToken: CANARY_KEY,
      },
    },
    counts: {
      requests: 42,
      errors: 3,
      inFlight: 1,
      byBackend: { groq: 30, pooled: 10, claude: 2 },
    },
    guard: { enabled: true, state: guardState },
    pool: { backends: 1, targets: 2 },
  };
}

function poolBody() {
  return {
    backends: {
      pooled: {
        targets: [
          { id: "east", headroom: 0.82, breaker: "closed", inFlight: 1, token: CANARY_KEY },
          {
            // As the real proxy sends it: the pool snapshot's epoch ms and breaker object.
            id: "west",
            headroom: 0,
            cooldownUntil: Date.parse("2026-11-21T10:05:00.000Z"),
            breaker: { state: "open", consecutiveFailures: 5, openedAt: null },
            inFlight: 0,
          },
        ],
      },
      groq: { targets: [{ id: "groq#0", headroom: 1, breaker: "closed", inFlight: 0 }] },
    },
  };
}

function analyticsBody(query: URLSearchParams) {
  const by = query.get("by") ?? "backend";
  const keys =
    by === "model"
      ? ["claude-sonnet-4-5", "llama-3.3-70b"]
      : by === "session"
        ? ["s-1", "s-2"]
        : ["claude", "groq"];
  const rows = [
    { key: keys[0], requests: 10, inputTokens: 12000, outputTokens: 3000, costUsd: 0.081 },
    { key: keys[1], requests: 30, inputTokens: 1500, outputTokens: 600, costUsd: 0.0012 },
  ];
  return {
    since: query.get("since"),
    until: "2026-11-21T12:00:00.000Z",
    by,
    rows,
    totals: { requests: 40, inputTokens: 13500, outputTokens: 3600, costUsd: 0.0822 },
  };
}

function guardBody(state: string) {
  return {
    enabled: true,
    behavior: "halt",
    state,
    ...(state === "halted"
      ? {
          reason: "budget daily passed: $5.02 of $5.00",
          since: "2026-11-21T11:00:00.000Z",
          cooldownUntil: "2026-11-21T12:00:00.000Z",
        }
      : {}),
    budgets: [
      { name: "daily", period: "day", limitUsd: 5, spentUsd: state === "halted" ? 5.02 : 1.25 },
      {
        name: "claude-month",
        period: "month",
        limitUsd: 50,
        spentUsd: 12.5,
        scope: { backend: "claude" },
      },
    ],
  };
}

function chatCompletion(body: {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
}) {
  const last = body.messages?.at(-1)?.content ?? "";
  return {
    id: "chatcmpl-mock",
    object: "chat.completion",
    created: Math.floor(T0 / 1000),
    model: body.model,
    choices: [
      { index: 0, message: { role: "assistant", content: `echo: ${last}` }, finish_reason: "stop" },
    ],
    usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 },
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

/** Starts a mock of the proxy's admin API serving the documented shapes. */
export async function startMockAdminServer(opts: MockAdminOptions = {}): Promise<MockAdminServer> {
  const seen: SeenRequest[] = [];
  const state = { guardState: opts.guardState ?? "ok" } as { guardState: "ok" | "halted" };
  let port = 0;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = req.method === "POST" ? await readBody(req) : undefined;
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (opts.requireKey && req.headers["x-api-key"] !== opts.requireKey) {
      return send(401, { error: { message: "missing or wrong x-api-key" } });
    }
    if (opts.missing?.includes(url.pathname)) return send(404, { error: { message: "not found" } });
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "GET /health":
        return send(200, { ok: true, version: "0.9.0-mock", uptimeMs: 3_723_000 });
      case "GET /status":
        return send(200, statusBody(opts, port, state.guardState));
      case "GET /requests": {
        const limit = Number(url.searchParams.get("limit") ?? 50);
        const rows = Array.from({ length: 250 }, (_, i) => ({
          time: new Date(T0 - i * 1000).toISOString(),
          ...(opts.adminOnlyLog
            ? { id: `h${i}`, method: "GET", path: "/health", status: 200, latencyMs: 0.2 }
            : REQUEST_ROWS[i % REQUEST_ROWS.length]),
        }));
        return send(200, { requests: rows.slice(0, limit) });
      }
      case "GET /pool":
        return send(200, poolBody());
      case "GET /analytics":
        return send(200, analyticsBody(url.searchParams));
      case "GET /guard":
        return send(200, guardBody(state.guardState));
      case "GET /doctor":
        return send(200, {
          report: {
            ok: true,
            checks: [{ name: "config", ok: true, detail: "config.json parsed" }],
          },
          text: "✓ config: config.json parsed",
        });
      case "POST /admin/resume":
        state.guardState = "ok";
        return send(200, { resumed: true, state: "ok" });
      case "POST /v1/chat/completions":
        return send(200, chatCompletion(body as Parameters<typeof chatCompletion>[0]));
      default:
        return send(404, { error: { message: `no route ${route}` } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    get guardState() {
      return state.guardState;
    },
    set guardState(value) {
      state.guardState = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
