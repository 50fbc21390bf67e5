import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BackendFactory } from "../backends/create-backends.js";
import type { Logger } from "../backends/types.js";
import { CLIENT_KEY_ADVICE, weakClientKeyReason } from "../config/client-key.js";
import type { BackendConfig, ResolvedConfig } from "../config/types.js";
import { isoTime } from "../usage/iso-time.js";
import { usageLogDir } from "../usage/usage-fs.js";
import type { AdminHandler, ReservedAdminRoute } from "./admin.js";
import { isQuietAdminRead } from "./admin-reads.js";
import { createCaptureHandler } from "./capture-route.js";
import { type CaptureTarget, isCapturedPath, tapExchange } from "./capture-tap.js";
import { createConfigHandler } from "./config-route.js";
import { createDashboardAuth } from "./dashboard-auth.js";
import { createDispatcher, type DispatchRequest } from "./dispatch.js";
import { isClientRejection, toProxyError, writeError } from "./error-response.js";
import { createLiveConfig, type LiveReloadOptions } from "./live-config.js";
import { createOverviewHandler } from "./overview-route.js";
import { ProxyError } from "./proxy-error.js";
import type { ReloadResult } from "./reloader.js";
import { createRequestIds } from "./request-id.js";
import {
  createLogEntry,
  createRequestLogRing,
  noteUsage,
  type RequestLogEntry,
  serializeLogEntry,
} from "./request-log.js";
import { InFlight, RequestSignal } from "./request-signal.js";
import { createResponseSink } from "./response-sink.js";
import { isLoopbackHost } from "./security.js";
import { seedTrafficFromUsageLog } from "./traffic-history.js";
import { createTrafficMetrics, isApiEntry } from "./traffic-metrics.js";
import { loadUiAssets } from "./ui-assets.js";
import { createUsageRuntime } from "./usage-runtime.js";

/** Options for {@link startServer}. */
export interface StartServerOptions {
  config: ResolvedConfig;
  /** The proxy version, shown by `/health` and `/status`. */
  version: string;
  logger?: Logger;
  /**
   * Called once per finished request (after the response is sent) with its log entry and that
   * entry as one JSON line (serialised once, for both the log and the `/requests` ring), and
   * the line's UTF-8 bytes as the ring holds them (valid during the call only; absent for a
   * line too long for the ring's slot), so a writer need not encode it again.
   */
  requestLog?: (entry: RequestLogEntry, line: string, bytes: Uint8Array | undefined) => void;
  /** Implementations of the reserved admin endpoints; each answers 501 until given. */
  adminHandlers?: Partial<Record<ReservedAdminRoute, AdminHandler>>;
  /** Extra or replacement backend factories by type (e.g. `claude-code`). */
  backendFactories?: Partial<Record<BackendConfig["type"], BackendFactory>>;
  /** Records every exchange a client has with the proxy (`switchyard proxy --capture`). */
  capture?: CaptureTarget;
  /**
   * Live reload: how to read the config again (the CLI passes `loadConfig` with its flags and
   * environment). Without it `POST /admin/reload` answers 501 and nothing is watched.
   */
  reload?: LiveReloadOptions;
  /** Where the built dashboard is (default: `dist/ui` beside the CLI). */
  uiDir?: string;
}

/** A listening proxy. */
export interface RunningServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  /** Reads the config again and swaps it in when valid (what `POST /admin/reload` does). */
  reload(): Promise<ReloadResult>;
  /**
   * Stops accepting connections, lets in-flight requests and streams finish until
   * `graceMs` (default `config.shutdownGraceMs`), then aborts and destroys the rest.
   */
  close(graceMs?: number): Promise<void>;
}

/** Why the server refused to start. */
export type StartServerErrorCode = "insecure_bind" | "listen_failed";

/** Thrown by {@link startServer} when it cannot or must not listen. */
export class StartServerError extends Error {
  readonly code: StartServerErrorCode;
  constructor(code: StartServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartServerError";
    this.code = code;
  }
}

const silentInfo: Logger = {
  info: () => {},
  warn: (m) => console.warn(`switchyard: ${m}`),
  error: (m) => console.error(`switchyard: ${m}`),
};

const round = (ms: number) => Math.round(ms * 100) / 100;

/** After the grace period, how long aborted requests get to write their error events. */
const ABORT_FLUSH_MS = 1000;

/**
 * Starts the switchyard HTTP server on `config.host:config.port`.
 *
 * @example
 * const server = await startServer({ config, version: "1.0.0" });
 * console.log(`listening on ${server.url}`);
 * process.on("SIGTERM", () => server.close());
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, version, capture } = options;
  const logger = options.logger ?? silentInfo;
  const host = config.host || "127.0.0.1";
  if (!isLoopbackHost(host) && !config.apiKey) {
    throw new StartServerError(
      "insecure_bind",
      `refusing to listen on non-loopback host ${host} without an apiKey: set apiKey (or SWITCHYARD_API_KEY) so clients must present it, or bind 127.0.0.1`,
    );
  }
  const weak = isLoopbackHost(host) ? undefined : weakClientKeyReason(config.apiKey ?? "");
  if (weak !== undefined) {
    throw new StartServerError(
      "insecure_bind",
      `refusing to listen on non-loopback host ${host} with a weak apiKey (${weak}): ${CLIENT_KEY_ADVICE}, or bind 127.0.0.1`,
    );
  }
  const ring = createRequestLogRing(500);
  // Overage guard (halts restored from the home), usage log, events, their admin endpoints.
  // They live as long as the server: a reload keeps the guard's state and the usage log.
  // Late-bound: the live config is built on top of the usage runtime.
  let serving = (): ResolvedConfig => config;
  const usage = await createUsageRuntime({
    config,
    version,
    logger,
    currentConfig: () => serving(),
  });
  let port = config.port;
  const live = createLiveConfig({
    config,
    version,
    logger,
    usage,
    port: () => port,
    ...(options.backendFactories ? { factories: options.backendFactories } : {}),
    ...(options.reload ? { reload: options.reload } : {}),
  });
  serving = () => live.current().config;
  const startedAt = Date.now();
  const metrics = createTrafficMetrics({ startedAt });
  // The 24 h overview starts with the usage log's last day (read in the background).
  seedTrafficFromUsageLog({ metrics, dir: usageLogDir(config.home), until: startedAt }).catch(
    (error: unknown) =>
      logger.warn(`overview: the usage log could not be read (${(error as Error).message})`),
  );
  const dashboard = { auth: createDashboardAuth(), assets: await loadUiAssets(options.uiDir) };
  const inFlight = new InFlight();
  const requestId = createRequestIds();
  let closing = false;
  let onDrained: (() => void) | undefined;

  const dispatch = createDispatcher({
    current: live.current,
    version,
    ring,
    startedAt,
    inFlight: () => inFlight.size,
    adminHandlers: {
      ...usage.adminHandlers,
      "GET /overview": createOverviewHandler(metrics),
      "GET /capture": createCaptureHandler(capture),
      "GET /config": createConfigHandler({
        current: () => live.current().config,
        ...(options.reload ? { reloadStatus: live.status } : {}),
      }),
      "POST /admin/reload": async ({ sink }) => {
        const result = await live.reload();
        sink.json(result.ok ? 200 : 422, result);
      },
      ...options.adminHandlers,
    },
    overageGuardStatus: usage.status,
    reloadStatus: live.status,
    dashboard,
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const signal = new RequestSignal();
    inFlight.add(signal);
    const sink = createResponseSink(res);
    usage.track(sink, req.headers, started);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const dialect = path.startsWith("/v1/messages") ? "anthropic" : "openai";
    const entry = createLogEntry(isoTime(Date.now()), requestId(), req.method ?? "GET", path);
    if (closing) res.setHeader("connection", "close");
    // The log line goes out once both the response closed and the handler settled, so it
    // carries the latency the client saw and everything the backend reported.
    let pending = 2;
    const settle = () => {
      pending -= 1;
      if (pending > 0) return;
      usage.annotate(entry, sink);
      // An answered poll of an admin read (a dashboard's, `top`'s) is not logged, so it
      // cannot push the real requests out of the ring; `--verbose` logs them too.
      if (isQuietAdminRead(entry) && !live.current().config.verbose) return;
      const line = serializeLogEntry(entry);
      const bytes = ring.add(entry, line);
      if (isApiEntry(entry)) {
        metrics.record(entry);
        if (usage.hub.wantsRequests()) usage.hub.publishRequest(entry, line);
      }
      if (options.requestLog === undefined) return;
      try {
        options.requestLog(entry, line, bytes);
      } catch (error) {
        logger.warn(`requestLog callback threw: ${(error as Error).name}`);
      }
    };
    res.on("close", () => {
      inFlight.delete(signal);
      if (!res.writableFinished) {
        entry.clientClosed = true;
        signal.abort(new ProxyError("client_closed", "client closed the connection"));
      }
      entry.status = sink.timing.status || 499;
      entry.latencyMs = round(performance.now() - started);
      if (sink.timing.firstByteAt !== undefined) {
        entry.ttfbMs = round(sink.timing.firstByteAt - started);
      }
      settle();
      if (closing && inFlight.size === 0) onDrained?.();
    });
    const request: DispatchRequest = {
      req,
      res,
      sink:
        capture !== undefined && isCapturedPath(path)
          ? tapExchange({
              req,
              res,
              sink,
              url: `http://${req.headers.host ?? host}${url}`,
              entry,
              target: capture,
              maxBodyBytes: live.current().config.maxBodyBytes,
              onError: (error) =>
                logger.warn(
                  `capture: an exchange could not be written (${(error as Error).message})`,
                ),
            })
          : sink,
      path,
      query: q < 0 ? "" : url.slice(q + 1),
      dialect,
      signal,
      entry,
    };
    // Not an async wrapper awaiting the dispatch: the handler's own promise gets the two
    // reactions (one promise and one suspended frame fewer a request). A refusal thrown
    // synchronously reaches the same error handling.
    let handled: Promise<void> | undefined;
    try {
      handled = dispatch(request);
    } catch (error) {
      failed(request, error, settle);
      return;
    }
    if (handled === undefined) settle();
    else handled.then(settle, (error: unknown) => failed(request, error, settle));
  };

  /** Answers a failed request in the caller's dialect, then calls `done` (also if that throws). */
  const failed = (request: DispatchRequest, error: unknown, done: () => void): void => {
    try {
      const { req, res, sink, dialect, entry } = request;
      // The code the client's answer carries (a request that cannot be translated is its
      // `bad_request`), from the same mapping that writes that answer.
      const proxyError = toProxyError(error);
      entry.error = proxyError.code;
      if (proxyError.usage !== undefined) noteUsage(entry, proxyError.usage);
      if (!ProxyError.isInstance(error) && !isClientRejection(error)) {
        // Name only: an unknown error's message could hold anything.
        logger.error(
          `request ${entry.id} failed with an unexpected ${(error as Error)?.name ?? "error"}`,
        );
      }
      if (ProxyError.isInstance(error) && error.code === "payload_too_large" && !sink.started) {
        // The rest of the body stays unread: close the connection after answering.
        res.setHeader("connection", "close");
        res.on("finish", () => req.socket.destroySoon?.());
      }
      // A translated stream already ended itself with a protocol-correct error event.
      if (!res.writableEnded) writeError(sink, dialect, proxyError);
    } finally {
      done();
    }
  };

  const server = createServer(
    { keepAliveTimeout: 65_000, requestTimeout: 300_000, headersTimeout: 30_000 },
    onRequest,
  );
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new StartServerError(
          "listen_failed",
          `cannot listen on ${host}:${config.port}: ${error.code ?? error.message}`,
          {
            cause: error,
          },
        ),
      );
    };
    server.once("error", onError);
    server.listen(config.port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  logger.info(`listening on ${url}`);
  await live.watch();

  let closed: Promise<void> | undefined;
  const close = (graceMs = config.shutdownGraceMs) => {
    closed ??= (async () => {
      closing = true;
      usage.beginClose();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      /** Resolves once no request is in flight, or after `ms`. */
      const drained = async (ms: number) => {
        if (inFlight.size === 0) return;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            onDrained = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, ms);
          }),
        ]);
        clearTimeout(timer);
      };
      await drained(graceMs);
      if (inFlight.size > 0) {
        inFlight.abortAll(new ProxyError("shutting_down", "switchyard is shutting down"));
        // Aborted handlers end their streams with an error event in the caller's dialect;
        // give them a moment to write it before the sockets go.
        await drained(ABORT_FLUSH_MS);
      }
      server.closeAllConnections();
      await serverClosed;
      await live.close();
      await usage.close();
    })();
    return closed;
  };
  return { url, port, reload: live.reload, close };
}
