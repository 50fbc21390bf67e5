import { readFileSync } from "node:fs";
import { homedir as osHomedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { SwitchyardMcpError } from "./mcp-error.js";

/** Where a resolved value came from (precedence: flag > env > file > default). */
export type ValueSource = "flag" | "env" | "file" | "default";

/** Command-line flags that locate the proxy (all optional). */
export interface ConnectionFlags {
  /** `--url`: the proxy's base URL, e.g. `http://127.0.0.1:3456`. */
  url?: string;
  /** `--host`. */
  host?: string;
  /** `--port`. */
  port?: string | number;
  /** `--config`: the config file to read instead of `$SWITCHYARD_HOME/config.json`. */
  config?: string;
  /** `--enable-actions`: expose the acting tools (`resume`, `ask_model`). */
  enableActions?: boolean;
}

/** What {@link resolveProxyConnection} reads; every field has a real default. */
export interface ResolveConnectionOptions {
  flags?: ConnectionFlags;
  /** Environment variables; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Reads a file as UTF-8, `undefined` when it does not exist; default `fs.readFileSync`. */
  readFile?: (path: string) => string | undefined;
  /** The user's home directory; default `os.homedir`. */
  homedir?: () => string;
  /** Base for relative paths in `--config` / `SWITCHYARD_CONFIG`; default `process.cwd()`. */
  cwd?: string;
}

/** How to reach the running proxy, resolved from flags, env, config file and defaults. */
export interface ProxyConnection {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:3456`. */
  baseUrl: string;
  /** `host:port` as shown to people (`[::1]:3456` for IPv6). */
  address: string;
  host: string;
  port: number;
  /** Key sent as `x-api-key` (never printed). */
  apiKey?: string;
  /** Whether the acting tools are exposed. */
  enableActions: boolean;
  /** The config file consulted (it may not exist). */
  configPath: string;
  /** Where each value came from. */
  sources: {
    host: ValueSource;
    port: ValueSource;
    apiKey?: ValueSource;
    enableActions: ValueSource;
  };
  /** Non-fatal problems worth a line on stderr (e.g. `apiKey: "env:X"` with `X` unset). */
  warnings: string[];
}

/** The proxy's default address (see the proxy's config contract). */
export const DEFAULT_HOST = "127.0.0.1";
/** The proxy's default port. */
export const DEFAULT_PORT = 3456;

interface Level {
  source: ValueSource;
  url?: URL;
  host?: string;
  port?: number;
}

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off", ""]);

function invalid(message: string): SwitchyardMcpError {
  return new SwitchyardMcpError("invalid_config", message);
}

function defaultReadFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw invalid(`cannot read config file ${path}: ${(error as Error).message}`);
  }
}

function parsePort(value: unknown, where: string): number {
  const n =
    typeof value === "number" ? value : /^\d+$/.test(String(value)) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw invalid(`${where} must be a port number from 1 to 65535 (got ${JSON.stringify(value)})`);
  }
  return n;
}

function parseHost(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "" || /[\s/]/.test(value)) {
    throw invalid(`${where} must be a host name or IP address (got ${JSON.stringify(value)})`);
  }
  return value.trim();
}

function parseUrl(value: string, where: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(
      `${where} must be a URL like http://127.0.0.1:3456 (got ${JSON.stringify(value)})`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid(`${where} must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw invalid(`${where} must not hold credentials; put the key in SWITCHYARD_API_KEY`);
  }
  return url;
}

/** A wildcard bind address is not an address to connect to: use loopback instead. */
function connectableHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "::1";
  return host.replace(/^\[(.*)\]$/, "$1");
}

function readConfigFile(
  path: string,
  readFile: (path: string) => string | undefined,
): Record<string, unknown> | undefined {
  const text = readFile(path);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalid(`config file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function pick<K extends "host" | "port">(
  levels: Level[],
  key: K,
): { value: Level[K]; level: Level } | undefined {
  for (const level of levels) {
    // A URL names the whole address, so it wins over a host/port of the same level.
    if (!level.url && level[key] !== undefined) return { value: level[key], level };
    if (level.url) {
      const fromUrl =
        key === "host"
          ? level.url.hostname
          : Number(level.url.port || (level.url.protocol === "https:" ? 443 : 80));
      return { value: fromUrl as Level[K], level };
    }
  }
  return undefined;
}

/**
 * Finds the running proxy the same way the proxy's own commands do: flag > env > config file >
 * default (`127.0.0.1:3456`). A URL (`--url`, `SWITCHYARD_URL`) names the whole address at
 * its level, so it wins over a host/port of the same level; a more specific level still wins.
 *
 * @example
 * const conn = resolveProxyConnection({ flags: { port: 4000 } });
 * conn.baseUrl; // "http://127.0.0.1:4000"
 */
export function resolveProxyConnection(options: ResolveConnectionOptions = {}): ProxyConnection {
  const {
    flags = {},
    env = process.env,
    readFile = defaultReadFile,
    homedir = osHomedir,
  } = options;
  const warnings: string[] = [];
  const expand = (path: string) => {
    const p = path.trim();
    const tilde = p === "~" ? homedir() : p.startsWith("~/") ? join(homedir(), p.slice(2)) : p;
    return isAbsolute(tilde) ? tilde : resolve(options.cwd ?? process.cwd(), tilde);
  };
  const home = env.SWITCHYARD_HOME?.trim()
    ? expand(env.SWITCHYARD_HOME)
    : join(homedir(), ".switchyard");
  const explicitConfig = flags.config?.trim() || env.SWITCHYARD_CONFIG?.trim();
  const configPath = explicitConfig ? expand(explicitConfig) : join(home, "config.json");
  const fileOrNothing = readConfigFile(configPath, readFile);
  if (!fileOrNothing && explicitConfig) {
    throw invalid(`${configPath}: config file not found`);
  }
  const file = fileOrNothing ?? {};
  const inFile = (field: string) => `config file ${configPath}: \`${field}\``;

  const levels: Level[] = [
    {
      source: "flag",
      url: flags.url !== undefined ? parseUrl(flags.url, "--url") : undefined,
      host: flags.host !== undefined ? parseHost(flags.host, "--host") : undefined,
      port: flags.port !== undefined ? parsePort(flags.port, "--port") : undefined,
    },
    {
      source: "env",
      url: env.SWITCHYARD_URL ? parseUrl(env.SWITCHYARD_URL, "SWITCHYARD_URL") : undefined,
      host: env.SWITCHYARD_HOST ? parseHost(env.SWITCHYARD_HOST, "SWITCHYARD_HOST") : undefined,
      port: env.SWITCHYARD_PORT ? parsePort(env.SWITCHYARD_PORT, "SWITCHYARD_PORT") : undefined,
    },
    {
      source: "file",
      host: file.host !== undefined ? parseHost(file.host, inFile("host")) : undefined,
      port: file.port !== undefined ? parsePort(file.port, inFile("port")) : undefined,
    },
    { source: "default", host: DEFAULT_HOST, port: DEFAULT_PORT },
  ];
  const hostPick = pick(levels, "host")!;
  const portPick = pick(levels, "port")!;
  const host = connectableHost(hostPick.value!);
  const port = portPick.value!;
  const schemeLevel = levels.find((l) => l.url);
  const protocol = schemeLevel?.url?.protocol ?? "http:";
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  const address = `${hostInUrl}:${port}`;
  const basePath = (schemeLevel?.url?.pathname ?? "").replace(/\/+$/, "");
  const baseUrl = `${protocol}//${address}${basePath}`;

  let apiKey: string | undefined;
  let apiKeySource: ValueSource | undefined;
  if (env.SWITCHYARD_API_KEY) {
    apiKey = env.SWITCHYARD_API_KEY;
    apiKeySource = "env";
  } else if (file.apiKey !== undefined) {
    if (typeof file.apiKey !== "string" || file.apiKey === "") {
      throw invalid(`${inFile("apiKey")} must be a key or "env:NAME"`);
    }
    const ref = /^env:(.+)$/.exec(file.apiKey);
    if (ref) {
      apiKey = env[ref[1]!] || undefined;
      if (apiKey === undefined)
        warnings.push(`${inFile("apiKey")} names ${ref[1]}, which is unset`);
    } else {
      apiKey = file.apiKey;
    }
    if (apiKey !== undefined) apiKeySource = "file";
  }

  let enableActions = false;
  let actionsSource: ValueSource = "default";
  const envActions = env.SWITCHYARD_MCP_ENABLE_ACTIONS;
  const fileMcp = file.mcp as { enableActions?: unknown } | undefined;
  if (flags.enableActions) {
    enableActions = true;
    actionsSource = "flag";
  } else if (envActions !== undefined) {
    const word = envActions.trim().toLowerCase();
    if (!TRUE_WORDS.has(word) && !FALSE_WORDS.has(word)) {
      throw invalid(
        `SWITCHYARD_MCP_ENABLE_ACTIONS must be 1 or 0 (got ${JSON.stringify(envActions)})`,
      );
    }
    enableActions = TRUE_WORDS.has(word);
    actionsSource = "env";
  } else if (fileMcp !== undefined) {
    if (typeof fileMcp !== "object" || fileMcp === null || Array.isArray(fileMcp)) {
      throw invalid(`${inFile("mcp")} must be an object like { "enableActions": true }`);
    }
    if (fileMcp.enableActions !== undefined) {
      if (typeof fileMcp.enableActions !== "boolean") {
        throw invalid(`${inFile("mcp.enableActions")} must be true or false`);
      }
      enableActions = fileMcp.enableActions;
      actionsSource = "file";
    }
  }

  return {
    baseUrl,
    address,
    host,
    port,
    ...(apiKey !== undefined ? { apiKey } : {}),
    enableActions,
    configPath,
    sources: {
      host: hostPick.level.source,
      port: portPick.level.source,
      ...(apiKeySource ? { apiKey: apiKeySource } : {}),
      enableActions: actionsSource,
    },
    warnings,
  };
}
