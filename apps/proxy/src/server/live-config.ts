import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BackendFactory } from "../backends/create-backends.js";
import type { Logger } from "../backends/types.js";
import { CLIENT_KEY_ADVICE, weakClientKeyReason } from "../config/client-key.js";
import { CREDENTIALS_FILE } from "../config/credentials.js";
import { ConfigError } from "../config/errors.js";
import type { BackendConfig, ResolvedConfig } from "../config/types.js";
import type { Generation } from "./dispatch.js";
import { createLiveBackends } from "./live-backends.js";
import { ProxyError } from "./proxy-error.js";
import { createReloader, type ReloadResult } from "./reloader.js";
import { createRouter } from "./routing.js";
import { createRequestGuard, isLoopbackHost } from "./security.js";
import type { UsageRuntime } from "./usage-runtime.js";
import { type FileWatch, watchFiles } from "./watch-files.js";

/** How to read the config again, for live reload. */
export interface LiveReloadOptions {
  /** Reads and validates the config (the CLI passes `loadConfig` with its flags and environment). */
  load: () => Promise<ResolvedConfig>;
  /** Watch the config file and the credential file. Default true. */
  watch?: boolean;
  /** Quiet time after a file change before reloading. Default 200 ms. */
  debounceMs?: number;
  /** Told of every reload's outcome (the CLI prints a successful one on stderr). */
  onReload?: (result: ReloadResult) => void;
}

/** Options of {@link createLiveConfig}. */
export interface LiveConfigOptions {
  config: ResolvedConfig;
  version: string;
  logger: Logger;
  usage: Pick<UsageRuntime, "wrap">;
  /** The port actually bound (known after listen). */
  port: () => number;
  factories?: Partial<Record<BackendConfig["type"], BackendFactory>>;
  reload?: LiveReloadOptions;
}

/** The config a server runs on, swappable while it serves. */
export interface LiveConfig {
  /** What serves requests now; a request reads it once and keeps it to its end. */
  current(): Generation;
  /** Reads the config again and swaps it in when valid; throws 501 when reload is not set up. */
  reload(): Promise<ReloadResult>;
  /** The `reload` part of `GET /status`. */
  status(): { watching: boolean; configPath: string; last: ReloadResult | null };
  /** Starts watching the config and credential files (after listen). */
  watch(): Promise<void>;
  /** Stops watching, then closes every backend, current and retired. */
  close(): Promise<void>;
}

/**
 * Owns what depends on the config: backends (kept across reloads when unchanged), router,
 * request guard. A new config is fully built before it is swapped in; building it failing
 * leaves the old one serving.
 */
export function createLiveConfig(options: LiveConfigOptions): LiveConfig {
  const { config, version, logger, usage } = options;
  const host = config.host || "127.0.0.1";
  const live = createLiveBackends({
    context: { version, logger, home: config.home },
    ...(options.factories ? { factories: options.factories } : {}),
  });
  /** Builds a generation for `next` without swapping it in. */
  const prepare = (next: ResolvedConfig) => {
    // The client key guards a non-loopback bind: a reload may change it, not drop or weaken it.
    const weak = isLoopbackHost(host) ? undefined : weakClientKeyReason(next.apiKey ?? "");
    if (weak !== undefined) {
      throw new ConfigError({
        code: "invalid_config",
        message: `${next.configPath}: apiKey ${next.apiKey ? `is weak (${weak})` : "must stay set"}: the proxy listens on non-loopback host ${host}; ${CLIENT_KEY_ADVICE}`,
        file: next.configPath,
      });
    }
    const prepared = live.prepare(next);
    const generation: Generation = {
      config: next,
      backends: usage.wrap(prepared.backends),
      router: createRouter(next, {
        availability: (name) => prepared.backends.get(name)?.availability?.(),
      }),
      guard: createRequestGuard({
        host,
        port: options.port,
        allowedOrigins: next.allowedOrigins,
        ...(next.apiKey ? { apiKey: next.apiKey } : {}),
      }),
    };
    return { prepared, generation };
  };
  const first = prepare(config);
  first.prepared.commit();
  let current = first.generation;
  let watcher: FileWatch | undefined;
  const reloadOptions = options.reload;
  const reloader =
    reloadOptions === undefined
      ? undefined
      : createReloader({
          initial: config,
          load: reloadOptions.load,
          logger,
          ...(reloadOptions.onReload ? { onReload: reloadOptions.onReload } : {}),
          prepare: (next) => {
            const { prepared, generation } = prepare(next);
            return {
              changes: prepared.changes,
              commit: () => {
                prepared.commit();
                current = generation;
              },
              discard: prepared.discard,
            };
          },
        });

  return {
    current: () => current,
    async reload() {
      if (reloader === undefined) {
        throw new ProxyError(
          "not_implemented",
          "this proxy has no config file to reload (started by startServer without `reload`)",
        );
      }
      return reloader.reload("admin");
    },
    status: () => ({
      watching: watcher !== undefined,
      configPath: current.config.configPath,
      last: reloader?.last() ?? null,
    }),
    async watch() {
      if (reloader === undefined || reloadOptions?.watch === false) return;
      // The home may not exist yet (no config file so far): create it, so that the first
      // `switchyard backend add` is seen.
      await mkdir(config.home, { recursive: true, mode: 0o700 }).catch(() => {});
      watcher = watchFiles({
        files: [config.configPath, join(config.home, CREDENTIALS_FILE)],
        ...(reloadOptions?.debounceMs === undefined
          ? {}
          : { debounceMs: reloadOptions.debounceMs }),
        onChange: () => void reloader.reload("watch"),
        onError: (message) => logger.warn(message),
      });
    },
    async close() {
      watcher?.close();
      await live.closeAll();
    },
  };
}
