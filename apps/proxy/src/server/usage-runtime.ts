import type { IncomingHttpHeaders } from "node:http";
import type { GuardNotification, OverageGuard } from "@switchyard/overage-guard";
import type { Backend, Logger, ResponseSink } from "../backends/types.js";
import type { ResolvedConfig } from "../config/types.js";
import { createGuardFromConfig } from "../usage/guard-from-config.js";
import { isLocalBackend } from "../usage/local-backend.js";
import { createProxyPriceTable } from "../usage/prices.js";
import type { UsageEntry } from "../usage/record.js";
import { usageLogDir } from "../usage/usage-fs.js";
import { createUsageLog } from "../usage/usage-log.js";
import type { AdminHandler, ReservedAdminRoute } from "./admin.js";
import { createAnalyticsHandler } from "./analytics.js";
import { type CoalescingGuardStore, createCoalescingGuardStore } from "./coalescing-store.js";
import { createEventHub, createEventsHandler, type EventHub } from "./events.js";
import { createGuardGate, createRequestTracks } from "./guard-gate.js";
import { createGuardHandlers, guardStatusSummary } from "./guard-routes.js";
import type { RequestLogEntry } from "./request-log.js";

/** Options of {@link createUsageRuntime}. */
export interface UsageRuntimeOptions {
  config: ResolvedConfig;
  version: string;
  logger: Logger;
  /** Replaces the terminal bell + desktop notifier (tests, embedding). */
  notify?: (notification: GuardNotification) => void;
  /** `GET /events` heartbeat interval. Default 15 s. */
  heartbeatMs?: number;
  /**
   * The config serving now (after a live reload), for `GET /doctor` and for which backends
   * are local (priced only by the config's own prices). Default: `config` for good.
   */
  currentConfig?: () => ResolvedConfig;
}

/** The overage guard, usage log, events and their admin endpoints, as the server uses them. */
export interface UsageRuntime {
  /** Undefined when `overageGuard.enabled` is false. */
  guard: OverageGuard | undefined;
  /** The fan-out behind `GET /events` (the server publishes finished requests to it). */
  hub: EventHub;
  /** Remember what the gate needs to know about a request (raw headers, arrival time). */
  track(sink: ResponseSink, headers: IncomingHttpHeaders, started: number): void;
  /** The backends behind the guard and the usage log. */
  wrap(backends: ReadonlyMap<string, Backend>): Map<string, Backend>;
  /** Copies the request's cost into its request-log entry. */
  annotate(entry: RequestLogEntry, sink: ResponseSink): void;
  adminHandlers: Partial<Record<ReservedAdminRoute, AdminHandler>>;
  /** The `guard` summary of `GET /status`. */
  status(): Record<string, unknown>;
  /** Ends `GET /events` streams so shutdown does not wait on them. */
  beginClose(): void;
  /** Flushes and closes the usage log and the guard's state file. */
  close(): Promise<void>;
}

/** The backends of `config` that run on this machine, the built-in echo included. */
function localBackendNames(config: ResolvedConfig): Set<string> {
  const names = new Set(
    Object.entries(config.backends)
      .filter(([, backend]) => isLocalBackend(backend))
      .map(([name]) => name),
  );
  if (config.backends.echo === undefined) names.add("echo"); // the built-in echo
  return names;
}

/** A `{ warn(message, meta) }` logger over the server's, saying each distinct message once. */
function onceLogger(logger: Logger) {
  const seen = new Set<string>();
  return {
    warn(message: string, meta?: unknown) {
      // Only a code or name from `meta`: an error message could quote a path or anything else.
      const what = (meta as { code?: unknown; name?: unknown } | undefined)?.code ?? "";
      const line = what === "" ? message : `${message} (${String(what)})`;
      if (seen.has(line) || seen.size > 100) return;
      seen.add(line);
      logger.warn(line);
    },
  };
}

/**
 * Builds the proxy's usage side from config: the price table (`data/prices.json` under config
 * `prices`), the usage log in `<home>/usage`, the overage guard (state in
 * `<home>/guard-state.json`, restored here so a halt survives a restart), the event hub behind
 * `GET /events`, and handlers for `/analytics`, `/events`, `/guard`, `/admin/resume`, `/doctor`.
 */
export async function createUsageRuntime(options: UsageRuntimeOptions): Promise<UsageRuntime> {
  const { config, version, logger } = options;
  const warnLogger = onceLogger(logger);
  const hub = createEventHub();
  const dir = usageLogDir(config.home);
  const log = createUsageLog({ dir, logger: warnLogger });
  let store: CoalescingGuardStore | undefined;
  const guard = await createGuardFromConfig(config, {
    logger: warnLogger,
    wrapStore: (inner) => {
      store = createCoalescingGuardStore(inner, {
        logger: warnLogger,
        beforeWrite: () => log.flush(),
      });
      return store;
    },
    onEvent: (event) => hub.publish(event),
    ...(options.notify ? { notify: options.notify } : {}),
  });
  const prices = createProxyPriceTable(config.prices);
  // Local backends (echo, replay, an openai server on this machine) cost only what config says.
  const localPrices = createProxyPriceTable(config.prices, { local: true });
  const currentConfig = options.currentConfig ?? (() => config);
  let localOf: { config: ResolvedConfig; names: Set<string> } | undefined;
  /** The local backends of the config serving now, worked out once per config. */
  const localNames = (): Set<string> => {
    const now = currentConfig();
    if (localOf?.config !== now) localOf = { config: now, names: localBackendNames(now) };
    return localOf.names;
  };
  const tracks = createRequestTracks();
  const budgeted = config.budgets.length > 0;

  const record = (entry: UsageEntry): void => {
    // The guard announces spend only when it counts it against budgets.
    if (
      (guard === undefined || !budgeted) &&
      entry.status < 400 &&
      typeof entry.costUsd === "number" &&
      hub.wantsSpend()
    ) {
      hub.publish({
        type: "spend",
        time: Date.now(),
        backend: entry.backend,
        model: entry.model,
        costUsd: entry.costUsd,
        budgets: [],
      });
    }
    // Not awaited: the record reaches the file within the log's write window (see README).
    log.add(entry);
  };
  const gate = createGuardGate({
    ...(guard ? { guard } : {}),
    prices,
    pricesFor: (name) => (localNames().has(name) ? localPrices : prices),
    record,
    tracks,
    budgeted,
  });
  const guardHandlers = createGuardHandlers(guard, config);

  const doctor: AdminHandler = async ({ sink }) => {
    const { runDoctor, formatDoctorReport } = await import("../doctor/report.js");
    const report = await runDoctor({ version, config: currentConfig(), checkPort: false });
    sink.json(200, { report, text: formatDoctorReport(report) });
  };

  return {
    guard,
    hub,
    track(sink, headers, started) {
      tracks.set(sink, { headers, started });
    },
    wrap: (backends) => gate.wrap(backends),
    annotate(entry, sink) {
      const track = tracks.get(sink);
      if (track?.costUsd !== undefined) entry.costUsd = track.costUsd;
      if (track?.denied !== undefined) entry.error = `overage_guard_${track.denied}`;
      // A failed request never returned a result, so its billing signal is only known here.
      if (track?.billing !== undefined) entry.billingSignals ??= track.billing;
    },
    adminHandlers: {
      "GET /analytics": createAnalyticsHandler({ dir, flush: () => log.flush() }),
      "GET /events": createEventsHandler({
        hub,
        ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      }),
      "GET /guard": guardHandlers.getGuard,
      "POST /admin/resume": guardHandlers.resume,
      "GET /doctor": doctor,
    },
    status: () => guardStatusSummary(guard, config),
    beginClose: () => hub.closeAll(),
    async close() {
      hub.closeAll();
      await guard?.flush();
      await Promise.all([log.close(), store?.flush()]);
    },
  };
}
