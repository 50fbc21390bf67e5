import { readConfigFileRaw } from "./config-file.js";
import { ConfigError } from "./errors.js";
import { resolveConfigPath, resolveHome, type SwitchyardEnv } from "./home.js";
import { isValidSecretRef, resolveSecretRef } from "./secrets.js";
import type { ValueSource } from "./types.js";
import {
  connectHost,
  describeUrlValue,
  describeValue,
  isHttpUrl,
  parseHostValue,
  parsePortValue,
} from "./values.js";

/** Defaults shared by the server and every client of it. */
export const DEFAULT_PORT = 3456;
/** Loopback only unless the user asks otherwise. */
export const DEFAULT_HOST = "127.0.0.1";

/** Command-line flags that locate a running proxy. */
export interface ProxyAddressFlags {
  /** Full base URL, e.g. `http://127.0.0.1:3456`; overrides port and host. */
  url?: string;
  port?: string | number;
  host?: string;
  /** Config file to read port/host/apiKey from. */
  config?: string;
  apiKey?: string;
}

/** Where a running proxy listens and the key to present to it. */
export interface ProxyAddress {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:3456`. */
  url: string;
  /** Client key (`SWITCHYARD_API_KEY` or the config's `apiKey`); never print it. */
  apiKey?: string;
  /** Where the port/URL came from. */
  source: ValueSource;
}

/**
 * Find the running proxy the same way every command does:
 * flag > env (`SWITCHYARD_URL`, `SWITCHYARD_PORT`, `SWITCHYARD_HOST`) > config file > default.
 * @example
 * const { url, apiKey } = await resolveProxyAddress({ env: process.env });
 * await fetch(`${url}/status`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
 */
export async function resolveProxyAddress(options: {
  flags?: ProxyAddressFlags;
  env: SwitchyardEnv;
  cwd?: string;
}): Promise<ProxyAddress> {
  const { flags = {}, env } = options;
  const home = resolveHome(env);
  const { path, explicit } = resolveConfigPath({ flag: flags.config, env, home, cwd: options.cwd });
  const file = await readConfigFileRaw(path);
  if (!file && explicit) {
    throw new ConfigError({
      code: "config_not_found",
      message: `${path}: config file not found`,
      file: path,
    });
  }
  const apiKey = resolveClientKey({ flags, env, file, path });

  // Flag beats env: a --port/--host flag outranks SWITCHYARD_URL, as --url does.
  const flagAddress = flags.port !== undefined || flags.host !== undefined;
  const explicitUrl = flags.url ?? (flagAddress ? undefined : env.SWITCHYARD_URL);
  if (explicitUrl) {
    if (!isHttpUrl(explicitUrl)) {
      throw new ConfigError({
        code: "invalid_value",
        message: `${flags.url ? "--url" : "SWITCHYARD_URL"} must be an http(s) URL, got ${describeUrlValue(explicitUrl)}`,
      });
    }
    return withKey(
      { url: explicitUrl.replace(/\/+$/, ""), source: flags.url ? "flag" : "env" },
      apiKey,
    );
  }

  let port = DEFAULT_PORT;
  let host = DEFAULT_HOST;
  let source: ValueSource = "default";
  if (file?.port !== undefined) {
    port = parsePortValue(file.port as number, `${path}: port`);
    source = "file";
  }
  if (typeof file?.host === "string") host = parseHostValue(file.host, `${path}: host`);
  if (env.SWITCHYARD_PORT) {
    port = parsePortValue(env.SWITCHYARD_PORT, "SWITCHYARD_PORT");
    source = "env";
  }
  if (env.SWITCHYARD_HOST) host = parseHostValue(env.SWITCHYARD_HOST, "SWITCHYARD_HOST");
  if (flags.port !== undefined && flags.port !== "") {
    port = parsePortValue(flags.port, "--port");
    source = "flag";
  }
  if (flags.host) host = parseHostValue(flags.host, "--host");
  return withKey({ url: `http://${connectHost(host)}:${port}`, source }, apiKey);
}

function withKey(address: ProxyAddress, apiKey: string | undefined): ProxyAddress {
  return apiKey ? { ...address, apiKey } : address;
}

function resolveClientKey(options: {
  flags: ProxyAddressFlags;
  env: SwitchyardEnv;
  file: Record<string, unknown> | undefined;
  path: string;
}): string | undefined {
  const { flags, env, file, path } = options;
  if (flags.apiKey) return flags.apiKey;
  if (env.SWITCHYARD_API_KEY) return env.SWITCHYARD_API_KEY;
  const ref = file?.apiKey;
  if (ref === undefined) return undefined;
  if (!isValidSecretRef(ref)) {
    throw new ConfigError({
      code: "invalid_config",
      // Never echo a string here: it may be a key in the wrong form.
      message: `${path}: apiKey must be a key or "env:NAME", got ${typeof ref === "string" ? "a malformed env: reference" : describeValue(ref)}`,
      issues: [{ path: "apiKey", message: 'must be a key or "env:NAME"' }],
      file: path,
    });
  }
  return resolveSecretRef({ ref, env, owner: `${path}: proxy client key` });
}
