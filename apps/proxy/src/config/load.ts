import { readConfigFileRaw } from "./config-file.js";
import { createCredentialStore } from "./credentials.js";
import { CONFIG_DEFAULTS } from "./defaults.js";
import { ConfigError } from "./errors.js";
import { resolveConfigPath, resolveHome, type SwitchyardEnv } from "./home.js";
import { resolveBackends } from "./resolve-backends.js";
import { resolveSecretRef } from "./secrets.js";
import type {
  KeySource,
  ResolvedConfig,
  SwitchyardConfigFile,
  TimeoutConfig,
  ValueSource,
} from "./types.js";
import { validateConfigFile } from "./validate.js";
import { parseHostValue, parsePortValue } from "./values.js";

/** Command-line flags that override config (highest precedence). */
export interface ConfigFlags {
  port?: string | number;
  host?: string;
  /** Config file path. */
  config?: string;
  verbose?: boolean;
  /** Client key (programmatic use; the CLI takes it from `SWITCHYARD_API_KEY`). */
  apiKey?: string;
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  flags?: ConfigFlags;
  env: SwitchyardEnv;
  /** Base for a relative `--config` path. Default `process.cwd()`. */
  cwd?: string;
  /**
   * Resolve `env:NAME` refs and stored keys into values. Default true. With false, no key
   * values are read (and a missing variable is not an error); `keySources` still says how each
   * key would be supplied. For display and diagnostics.
   */
  resolveSecrets?: boolean;
}

/**
 * Load the effective config: flag > env > file > default, validated, keys resolved.
 * Throws a `ConfigError` naming the bad field, the file and the expected form.
 * @example
 * const config = await loadConfig({ flags: { port: 8080 }, env: process.env });
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const { flags = {}, env, resolveSecrets = true } = options;
  const sources: Record<string, ValueSource> = {};
  const keySources: Record<string, KeySource> = {};
  const home = resolveHome(env);
  sources.home = env.SWITCHYARD_HOME?.trim() ? "env" : "default";
  const located = resolveConfigPath({ flag: flags.config, env, home, cwd: options.cwd });
  sources.configPath = located.source;

  const raw = await readConfigFileRaw(located.path);
  if (!raw && located.explicit) {
    throw new ConfigError({
      code: "config_not_found",
      message: `${located.path}: config file not found (from ${located.source === "flag" ? "--config" : "SWITCHYARD_CONFIG"})`,
      file: located.path,
    });
  }
  let file: SwitchyardConfigFile = {};
  let warnings: string[] = [];
  if (raw) ({ config: file, warnings } = validateConfigFile(raw, located.path));

  const pick = <T>(path: string, values: { flag?: T; env?: T; file?: T; fallback: T }): T => {
    for (const source of ["flag", "env", "file"] as const) {
      const value = values[source];
      if (value !== undefined) {
        sources[path] = source;
        return value;
      }
    }
    sources[path] = "default";
    return values.fallback;
  };

  const flagPort = flags.port === undefined || flags.port === "" ? undefined : flags.port;
  const port = pick("port", {
    flag: flagPort === undefined ? undefined : parsePortValue(flagPort, "--port"),
    env: env.SWITCHYARD_PORT ? parsePortValue(env.SWITCHYARD_PORT, "SWITCHYARD_PORT") : undefined,
    file: file.port,
    fallback: CONFIG_DEFAULTS.port,
  });
  const host = pick("host", {
    flag: flags.host ? parseHostValue(flags.host, "--host") : undefined,
    env: env.SWITCHYARD_HOST ? parseHostValue(env.SWITCHYARD_HOST, "SWITCHYARD_HOST") : undefined,
    file: file.host,
    fallback: CONFIG_DEFAULTS.host as string,
  });

  let apiKey: string | undefined;
  if (flags.apiKey) {
    apiKey = flags.apiKey;
    sources.apiKey = "flag";
    keySources.apiKey = "literal";
  } else if (env.SWITCHYARD_API_KEY) {
    apiKey = env.SWITCHYARD_API_KEY;
    sources.apiKey = "env";
    keySources.apiKey = "env:SWITCHYARD_API_KEY";
  } else if (file.apiKey !== undefined) {
    sources.apiKey = "file";
    keySources.apiKey = file.apiKey.startsWith("env:") ? `env:${file.apiKey.slice(4)}` : "literal";
    if (resolveSecrets) {
      apiKey = resolveSecretRef({ ref: file.apiKey, env, owner: `${located.path}: proxy apiKey` });
    }
  } else {
    keySources.apiKey = "none";
  }

  // Loose modes of the home are reported with the config's other warnings.
  const store = createCredentialStore({ home, warn: (message) => warnings.push(message) });
  // For display only a broken credential file must not hide the rest of the config.
  const stored = resolveSecrets ? await store.readAll() : await store.readAll().catch(() => ({}));
  const backends = resolveBackends({
    file,
    fileExists: raw !== undefined,
    configPath: located.path,
    env,
    stored,
    resolveSecrets,
    sources,
    keySources,
  });

  const timeouts = mergeTimeouts(file.timeouts, sources);
  const overageGuard = {
    enabled: pick("overageGuard.enabled", {
      file: file.overageGuard?.enabled,
      fallback: CONFIG_DEFAULTS.overageGuard.enabled as boolean,
    }),
    behavior: pick("overageGuard.behavior", {
      file: file.overageGuard?.behavior,
      fallback: CONFIG_DEFAULTS.overageGuard.behavior as "halt" | "warn",
    }),
    cooldownMs: pick("overageGuard.cooldownMs", {
      file: file.overageGuard?.cooldownMs,
      fallback: CONFIG_DEFAULTS.overageGuard.cooldownMs as number,
    }),
    notifyOs: pick("overageGuard.notifyOs", {
      file: file.overageGuard?.notifyOs,
      fallback: CONFIG_DEFAULTS.overageGuard.notifyOs as boolean,
    }),
  };

  return {
    home,
    configPath: located.path,
    configFileExists: raw !== undefined,
    port,
    host,
    ...(apiKey ? { apiKey } : {}),
    allowedOrigins: pick("allowedOrigins", { file: file.allowedOrigins, fallback: [] }),
    backends: backends.backends,
    routes: pick("routes", { file: file.routes, fallback: backends.autoRoutes }),
    defaultBackend: pick("defaultBackend", { file: file.defaultBackend, fallback: undefined }),
    budgets: pick("budgets", { file: file.budgets, fallback: [] }),
    overageGuard,
    prices: pick("prices", { file: file.prices, fallback: {} }),
    maxBodyBytes: pick("maxBodyBytes", {
      file: file.maxBodyBytes,
      fallback: CONFIG_DEFAULTS.maxBodyBytes as number,
    }),
    timeouts,
    shutdownGraceMs: pick("shutdownGraceMs", {
      file: file.shutdownGraceMs,
      fallback: CONFIG_DEFAULTS.shutdownGraceMs as number,
    }),
    verbose: pick("verbose", { flag: flags.verbose || undefined, fallback: false }),
    mcp: {
      enableActions: pick("mcp.enableActions", {
        file: file.mcp?.enableActions,
        fallback: CONFIG_DEFAULTS.mcp.enableActions as boolean,
      }),
    },
    sources,
    keySources,
    warnings: [
      ...warnings,
      ...Object.values(backends.unavailable).map(
        (why) => `${why}; requests to it answer 400 until it is fixed`,
      ),
    ],
    ...(Object.keys(backends.unavailable).length > 0
      ? { unavailableBackends: backends.unavailable }
      : {}),
  };
}

function mergeTimeouts(
  fromFile: TimeoutConfig | undefined,
  sources: Record<string, ValueSource>,
): Required<TimeoutConfig> {
  const out = { ...CONFIG_DEFAULTS.timeouts } as Required<TimeoutConfig>;
  for (const key of Object.keys(out) as (keyof TimeoutConfig)[]) {
    const value = fromFile?.[key];
    if (value !== undefined) out[key] = value;
    sources[`timeouts.${key}`] = value === undefined ? "default" : "file";
  }
  return out;
}
