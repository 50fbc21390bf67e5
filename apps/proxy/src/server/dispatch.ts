import type { IncomingMessage, ServerResponse } from "node:http";
import type { AbortSignalLike } from "@switchyard/pool";
import type { Backend, Dialect, ResponseSink } from "../backends/types.js";
import type { ResolvedConfig } from "../config/types.js";
import {
  type AdminHandler,
  notImplemented,
  type ReservedAdminRoute,
  reservedAdminRoutes,
} from "./admin.js";
import { authStatus } from "./auth-status.js";
import { availabilityStatus } from "./availability-status.js";
import {
  DASHBOARD_READS,
  DASHBOARD_WRITES,
  type DashboardContext,
  serveDashboard,
} from "./dashboard-route.js";

import { type ApiContext, handleApi } from "./handle-api.js";
import { collectModels, toAnthropicModelList, toOpenAIModelList } from "./models.js";
import { createPoolHandler, poolStatus } from "./pool-status.js";
import { ProxyError } from "./proxy-error.js";
import { redactBackends } from "./redact.js";
import type { RequestLogEntry, RequestLogRing } from "./request-log.js";
import type { Router } from "./routing.js";
import type { RequestGuard } from "./security.js";
import { createSessionTracker, type SessionTracker } from "./session-tracker.js";

/**
 * What serves requests under one config: its backends, router and request guard. A reload
 * swaps in a new one; a request keeps the one it started with until it ends.
 */
export interface Generation {
  config: ResolvedConfig;
  backends: ReadonlyMap<string, Backend>;
  router: Router;
  guard: RequestGuard;
}

/** Everything the dispatcher reads. */
export interface DispatcherOptions {
  /** The generation serving now (read once per request). */
  current: () => Generation;
  version: string;
  ring: RequestLogRing;
  startedAt: number;
  inFlight: () => number;
  adminHandlers: Partial<Record<ReservedAdminRoute, AdminHandler>>;
  /** Conversation tracking (sticky pool keys, `/status` counts); one is created when absent. */
  sessions?: SessionTracker;
  /** The overage guard's summary for `GET /status`. */
  overageGuardStatus?: () => unknown;
  /** The live-reload summary for `GET /status`. */
  reloadStatus?: () => unknown;
  /** The web dashboard (`/ui`); absent, `/ui` is a 404 and no cookie is accepted. */
  dashboard?: Omit<DashboardContext, "keyed">;
}

/** One request as the dispatcher sees it. */
export interface DispatchRequest {
  req: IncomingMessage;
  res: ServerResponse;
  sink: ResponseSink;
  path: string;
  query: string;
  dialect: Dialect;
  signal: AbortSignalLike;
  entry: RequestLogEntry;
}

const apiEndpoints = {
  "/v1/messages": "messages",
  "/v1/messages/count_tokens": "count_tokens",
  "/v1/chat/completions": "chat_completions",
  "/v1/responses": "responses",
  "/v1/responses/input_tokens": "responses_input_tokens",
} as const;

const reserved = new Set<string>(reservedAdminRoutes);

/** Every non-API path and the methods it answers (for a 405's `allow` header). */
const methodsByPath = new Map<string, string[]>();
for (const route of [
  "GET /",
  "GET /health",
  "GET /v1/models",
  "GET /status",
  "GET /requests",
  ...reserved,
]) {
  const [method = "", path = ""] = route.split(" ");
  const methods = methodsByPath.get(path) ?? [];
  methods.push(method);
  if (method === "GET" && path !== "/events") methods.push("HEAD");
  methodsByPath.set(path, methods);
}

/** A GET route's HEAD is answered as its GET (node sends the head without the body). */
const asGet = (method: string, path: string) =>
  method === "HEAD" && methodsByPath.get(path)?.includes("HEAD") ? "GET" : method;

/** The guard's options for an API call (shared: one object for every request). */
const WITH_KEY = Object.freeze({ requireKey: true });
/** A CORS preflight carries no credentials. */
const NO_KEY = Object.freeze({ requireKey: false });

/** Builds the request dispatcher: security checks, then the endpoint table. */
export function createDispatcher(options: DispatcherOptions) {
  const { version, ring } = options;
  const sessions = options.sessions ?? createSessionTracker();
  // Per generation, built on its first request (one object per reload, not per request).
  const derived = new WeakMap<
    Generation,
    { allowedOrigins: Set<string>; apiContext: ApiContext; poolHandler: AdminHandler }
  >();
  const derive = (generation: Generation) => {
    let out = derived.get(generation);
    if (out === undefined) {
      const { config, router, backends } = generation;
      out = {
        allowedOrigins: new Set(config.allowedOrigins),
        apiContext: { router, backends, maxBodyBytes: config.maxBodyBytes, sessions },
        poolHandler: createPoolHandler(backends),
      };
      derived.set(generation, out);
    }
    return out;
  };

  /**
   * Not `async`: an API call returns `handleApi`'s own promise (no promise of its own around
   * it, no extra microtask per request); anything refused is thrown synchronously, and the
   * server awaits the call inside its `try`, so both reach the same error handling.
   */
  return function dispatch(request: DispatchRequest): Promise<void> | undefined {
    const { req, path } = request;
    const method = req.method ?? "GET";
    const generation = options.current();
    const { allowedOrigins, apiContext } = derive(generation);
    const endpoint = apiEndpoints[path as keyof typeof apiEndpoints];
    // An API path is never a dashboard path (`/ui…`) nor a dashboard read or write: it skips
    // building the `METHOD path` key and looking it up.
    if (endpoint === undefined) return dispatchOther(request, method, generation);
    generation.guard.check(req, method === "OPTIONS" ? NO_KEY : WITH_KEY);
    if (corsPreflight(request, method, allowedOrigins)) return undefined;
    if (method !== "POST") {
      throw new ProxyError("method_not_allowed", `${path} accepts POST only`, { allow: "POST" });
    }
    const { sink, dialect, signal, entry } = request;
    return handleApi({ req, sink, dialect, endpoint, signal, context: apiContext, entry });
  };

  /**
   * The CORS answer for an allowed browser origin: its headers on the response and, for a
   * preflight (`OPTIONS`), the whole answer (true: nothing more to do).
   */
  function corsPreflight(
    request: DispatchRequest,
    method: string,
    allowedOrigins: ReadonlySet<string>,
  ): boolean {
    const { req, res, sink } = request;
    const origin = req.headers.origin;
    if (origin === undefined || !allowedOrigins.has(origin)) return false;
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "origin");
    if (method !== "OPTIONS") return false;
    sink.bytes(204, "", {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers":
        req.headers["access-control-request-headers"] ?? "content-type, authorization, x-api-key",
      "access-control-max-age": "600",
    });
    return true;
  }

  /** Everything but the API endpoints: the dashboard, health, status and admin routes. */
  async function dispatchOther(
    request: DispatchRequest,
    method: string,
    generation: Generation,
  ): Promise<void> {
    const { req, sink, path, signal } = request;
    const { config, backends, guard } = generation;
    const { allowedOrigins, poolHandler } = derive(generation);
    const key = `${asGet(method, path)} ${path}`;
    const { dashboard } = options;
    if (dashboard !== undefined && (path === "/ui" || path.startsWith("/ui/"))) {
      // Host and Origin as for the API (plus the page's own origin: module scripts send it);
      // the key only to mint a login code, which a page never may.
      const mint = path === "/ui/login-code";
      guard.check(req, { requireKey: mint, sameOrigin: !mint });
      const keyed = config.apiKey !== undefined;
      serveDashboard({ ...request, context: { ...dashboard, keyed } });
      return;
    }
    const write = DASHBOARD_WRITES.has(key);
    if (
      dashboard !== undefined &&
      (write || DASHBOARD_READS.has(key)) &&
      dashboard.auth.hasSession(req, req.socket.localPort ?? 0)
    ) {
      // The dashboard's session cookie stands in for the key: only its own origin may use it,
      // and an action also needs the page's CSRF token.
      guard.check(req, { requireKey: false, sameOrigin: true });
      if (write && !dashboard.auth.checkCsrf(req)) {
        throw new ProxyError(
          "forbidden_csrf",
          "forbidden: dashboard action without its CSRF token",
        );
      }
    } else {
      guard.check(req, { requireKey: path !== "/health" && method !== "OPTIONS" });
    }
    if (corsPreflight(request, method, allowedOrigins)) return;

    switch (key) {
      case "GET /health":
        sink.json(200, { status: "ok", version });
        return;
      case "GET /":
        // Claude Code sends `HEAD /` when it starts: a plain answer, not a 404 in the log.
        sink.json(200, { name: "switchyard", status: "ok", version });
        return;
      case "GET /v1/models": {
        const models = await collectModels(backends, config, signal);
        const anthropic = req.headers["anthropic-version"] !== undefined;
        sink.json(200, anthropic ? toAnthropicModelList(models) : toOpenAIModelList(models));
        return;
      }
      case "GET /status":
        sink.json(200, {
          version,
          uptimeMs: Date.now() - options.startedAt,
          url: `http://${config.host}:${req.socket.localPort}`,
          backends: redactBackends(config),
          routes: config.routes,
          defaultBackend: config.defaultBackend ?? null,
          requests: { total: ring.total(), byBackend: ring.counts() },
          inFlight: Math.max(0, options.inFlight() - 1),
          pool: poolStatus(backends),
          auth: await authStatus(backends),
          availability: availabilityStatus(backends),
          sessions: sessions.status(),
          ...(options.overageGuardStatus ? { guard: options.overageGuardStatus() } : {}),
          ...(options.reloadStatus ? { reload: options.reloadStatus() } : {}),
        });
        return;
      case "GET /requests": {
        const raw = Number(new URLSearchParams(request.query).get("limit") ?? "50");
        const limit = Number.isFinite(raw) ? Math.max(1, Math.min(500, Math.floor(raw))) : 50;
        sink.json(200, { requests: ring.last(limit) });
        return;
      }
    }
    if (reserved.has(key)) {
      const handler =
        options.adminHandlers[key as ReservedAdminRoute] ??
        (key === "GET /pool" ? poolHandler : undefined);
      if (handler === undefined) throw notImplemented(key);
      await handler({ req, query: new URLSearchParams(request.query), sink, signal });
      return;
    }
    const allowed = methodsByPath.get(path);
    if (allowed !== undefined) {
      throw new ProxyError("method_not_allowed", `${path} accepts ${allowed.join(", ")} only`, {
        allow: allowed.join(", "),
      });
    }
    throw new ProxyError("not_found", `no such endpoint: ${method} ${path}`);
  }
}
