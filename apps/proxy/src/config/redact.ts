import { redactSecretsDeep } from "./secret-shape.js";
import type { BackendConfig, ResolvedConfig } from "./types.js";

/** Placeholder for a header value in printed config (headers often carry credentials). */
export const REDACTED = "[redacted]";

/** A printable view of a resolved config: every key shown as how it is supplied, never its value. */
export type RedactedConfig = Omit<ResolvedConfig, "apiKey" | "backends"> & {
  apiKey: string;
  backends: Record<string, Record<string, unknown>>;
};

/**
 * Copy `config` with every secret replaced by its source (`stored`, `env:NAME`, `literal`,
 * `none`) and header values masked; any other field whose name says credential (`apikey`,
 * `token`, `secret`, …) or whose value looks like one (`sk-…`, a JWT, a long random token)
 * becomes `[redacted]`, known field or not. Safe to print or serve.
 */
export function redactConfig(config: ResolvedConfig): RedactedConfig {
  const keyOf = (path: string, value: string | undefined): string =>
    config.keySources?.[path] ?? (value === undefined ? "none" : "literal");
  const backends: Record<string, Record<string, unknown>> = {};
  for (const [name, backend] of Object.entries(config.backends)) {
    backends[name] = redactBackend(name, backend, keyOf);
  }
  const out: Record<string, unknown> = {
    ...config,
    apiKey: keyOf("apiKey", config.apiKey),
    backends,
  };
  // Then every other field, known or not (a typo'd `apikey`, a `token`), by name and by shape.
  for (const [field, value] of Object.entries(out)) {
    if (!BOOKKEEPING.has(field)) out[field] = redactSecretsDeep(value, REDACTED, field);
  }
  return out as RedactedConfig;
}

/** Fields that describe the config (sources, warnings), not values from it. */
const BOOKKEEPING = new Set(["sources", "keySources", "warnings", "home", "configPath"]);

/** Query parameters whose values are credentials (`?key=`, `?access_token=`, `?sig=` …). */
const secretParam = /key|token|secret|sig|pass|auth|credential/i;

/**
 * `url` as config output shows it: the password of its userinfo and the values of
 * credential-like query parameters replaced with `[redacted]`; everything else as written.
 */
export function maskUrlSecrets(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password === "" && ![...parsed.searchParams.keys()].some((k) => secretParam.test(k)))
    return url;
  const user = parsed.username === "" ? "" : `${parsed.username}:`;
  const userinfo = parsed.username === "" && parsed.password === "" ? "" : `${user}${REDACTED}@`;
  const query = [...parsed.searchParams]
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${secretParam.test(k) ? REDACTED : encodeURIComponent(v)}`,
    )
    .join("&");
  return `${parsed.protocol}//${userinfo}${parsed.host}${parsed.pathname}${query ? `?${query}` : ""}${parsed.hash}`;
}

/** The secret parts of a URL (userinfo password, credential-like query values). */
export function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const out = [...parsed.searchParams].filter(([k]) => secretParam.test(k)).map(([, v]) => v);
    if (parsed.password !== "") out.push(parsed.password, decodeURIComponent(parsed.password));
    return out;
  } catch {
    return [];
  }
}

function redactBackend(
  name: string,
  backend: BackendConfig,
  keyOf: (path: string, value: string | undefined) => string,
): Record<string, unknown> {
  if (backend.type !== "openai" && backend.type !== "anthropic") return { ...backend };
  const path = `backends.${name}`;
  const backendKey = keyOf(`${path}.apiKey`, backend.apiKey);
  const out: Record<string, unknown> = { ...backend, apiKey: backendKey };
  if (backend.baseUrl !== undefined) out.baseUrl = maskUrlSecrets(backend.baseUrl);
  if (backend.auth?.clientSecret !== undefined) {
    out.auth = {
      ...backend.auth,
      clientSecret: keyOf(`${path}.auth.clientSecret`, backend.auth.clientSecret),
    };
  }
  if (backend.headers) {
    out.headers = Object.fromEntries(Object.keys(backend.headers).map((k) => [k, REDACTED]));
  }
  if (backend.targets) {
    out.targets = backend.targets.map((target, i) => {
      const own = `${path}.targets[${i}].apiKey`;
      // A target without its own key entry uses the backend's key.
      const apiKey = keyOf(own, undefined) === "none" ? backendKey : keyOf(own, target.apiKey);
      return { ...target, baseUrl: maskUrlSecrets(target.baseUrl), apiKey };
    });
  }
  return out;
}

/**
 * Every secret value in `config` (client key, backend and target keys, header values, URL
 * passwords and credential-like query values).
 */
export function collectSecrets(config: ResolvedConfig): string[] {
  const secrets = new Set<string>();
  if (config.apiKey) secrets.add(config.apiKey);
  for (const backend of Object.values(config.backends)) {
    if (backend.type !== "openai" && backend.type !== "anthropic") continue;
    if (backend.apiKey) secrets.add(backend.apiKey);
    if (backend.auth?.clientSecret) secrets.add(backend.auth.clientSecret);
    for (const secret of urlSecrets(backend.baseUrl ?? "")) secrets.add(secret);
    for (const target of backend.targets ?? []) {
      if (target.apiKey) secrets.add(target.apiKey);
      for (const secret of urlSecrets(target.baseUrl)) secrets.add(secret);
    }
    for (const value of Object.values(backend.headers ?? {})) if (value) secrets.add(value);
  }
  // Very short values would mask ordinary words; keys are never that short.
  return [...secrets].filter((s) => s.length >= 6);
}

/** Replace every occurrence of each secret in `text` with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}
