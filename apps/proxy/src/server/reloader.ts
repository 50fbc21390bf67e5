import { isDeepStrictEqual } from "node:util";
import { ConfigError } from "../config/errors.js";
import type { ResolvedConfig } from "../config/types.js";
import { isoTime } from "../usage/iso-time.js";
import type { BackendChanges } from "./live-backends.js";

/** What started a reload. */
export type ReloadTrigger = "watch" | "admin";

/** The outcome of one reload, as `POST /admin/reload` answers and `/status` shows it. */
export interface ReloadResult {
  ok: boolean;
  /** ISO time the reload finished. */
  at: string;
  trigger: ReloadTrigger;
  /** The config file that was read. */
  configPath: string;
  /** One line a person can read: what changed, or why nothing did. */
  message: string;
  /** Backends added, changed, removed and kept (when the new config was swapped in). */
  backends?: BackendChanges;
  /** Whether `routes` or `defaultBackend` changed. */
  routesChanged?: boolean;
  /** Fields whose new value only takes effect when the proxy restarts (`port`, `budgets`, …). */
  restartRequired?: string[];
}

/** Fields the running server cannot swap (the socket, the guard's budgets and prices, …). */
const RESTART_ONLY = [
  "port",
  "host",
  "budgets",
  "overageGuard",
  "prices",
  "shutdownGraceMs",
  "mcp",
] as const satisfies readonly (keyof ResolvedConfig)[];

/** A built next state, ready to be swapped in or dropped. */
export interface PreparedSwap {
  changes: BackendChanges;
  /** Makes it serve; requests in flight finish on what they started with. */
  commit(): void;
  discard(): void;
}

/** Options of {@link createReloader}. */
export interface ReloaderOptions {
  /** The config the server started with (restart-only fields are compared to it). */
  initial: ResolvedConfig;
  /** Reads and validates the config again (same flags and environment as at start). */
  load: () => Promise<ResolvedConfig>;
  /** Builds everything the new config needs; throws when it cannot. Swaps nothing. */
  prepare: (config: ResolvedConfig) => PreparedSwap;
  /** Loud, one line each: a refused config is logged as an error, with why. */
  logger: {
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  };
  now?: () => number;
  /** Told of every reload's outcome. */
  onReload?: (result: ReloadResult) => void;
}

/** Reloads the config on demand, one reload at a time. */
export interface Reloader {
  /** Loads, validates, builds, then swaps; a failure leaves the old config serving. */
  reload(trigger: ReloadTrigger): Promise<ReloadResult>;
  /** The last reload's result, if any. */
  last(): ReloadResult | undefined;
}

/**
 * Creates the reloader. Reloads run one after another: one asked for while another runs
 * waits for it and then reads the file again (it may have changed meanwhile).
 */
export function createReloader(options: ReloaderOptions): Reloader {
  const { initial, logger, now = Date.now } = options;
  let last: ReloadResult | undefined;
  /** The config serving now (restart-only fields still as at start). */
  let current = initial;
  let queue: Promise<unknown> = Promise.resolve();

  const run = async (trigger: ReloadTrigger): Promise<ReloadResult> => {
    const base = { trigger, configPath: initial.configPath };
    let config: ResolvedConfig;
    let swap: PreparedSwap;
    try {
      config = await options.load();
      swap = options.prepare(config);
    } catch (error) {
      // A config error names the file, the field and the expected form, never a key; any
      // other error only by name (its message could quote anything).
      const message = ConfigError.isInstance(error)
        ? error.message
        : `building the new config failed (${(error as Error)?.name ?? "error"})`;
      logger.error(
        `config NOT reloaded, still serving the previous one: ${message.replace(/\n/g, "\n  ")}`,
      );
      return { ...base, ok: false, at: isoTime(now()), message };
    }
    swap.commit();
    const restartRequired = RESTART_ONLY.filter(
      (key) => !isDeepStrictEqual(config[key], initial[key]),
    );
    const routesChanged = !isDeepStrictEqual(
      [config.routes, config.defaultBackend],
      [current.routes, current.defaultBackend],
    );
    current = config;
    const message = describe(swap.changes, routesChanged, restartRequired);
    logger.info(`config reloaded (${trigger}): ${message}`);
    for (const warning of config.warnings ?? []) logger.warn(warning);
    if (restartRequired.length > 0) {
      logger.warn(
        `config changes to ${restartRequired.join(", ")} take effect when the proxy restarts`,
      );
    }
    return {
      ...base,
      ok: true,
      at: isoTime(now()),
      message,
      backends: swap.changes,
      routesChanged,
      ...(restartRequired.length > 0 ? { restartRequired } : {}),
    };
  };

  return {
    reload(trigger) {
      const next = queue.then(() => run(trigger));
      queue = next.catch(() => {});
      return next.then((result) => {
        last = result;
        options.onReload?.(result);
        return result;
      });
    },
    last: () => last,
  };
}

/** `added mock; removed old; kept echo, groq` (+ what needs a restart). */
function describe(
  changes: BackendChanges,
  routesChanged: boolean,
  restartRequired: readonly string[],
): string {
  const parts: string[] = [];
  const list = (label: string, names: string[]) => {
    if (names.length > 0) parts.push(`${label} ${names.join(", ")}`);
  };
  list("added", changes.added);
  list("changed", changes.changed);
  list("removed", changes.removed);
  list("kept", changes.kept);
  let text = parts.length > 0 ? `backends: ${parts.join("; ")}` : "no backends";
  if (routesChanged) text += "; routes or default backend changed";
  return restartRequired.length > 0
    ? `${text}; ${restartRequired.join(", ")} changed: restart the proxy to apply`
    : text;
}
