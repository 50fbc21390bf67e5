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
  // URLs anywhere else (an OIDC issuer, an unknown field) lose their credentials too.
  for (const [field, value] of Object.entries(out)) {
    if (!BOOKKEEPING.has(field))
      out[field] = maskUrlsDeep(redactSecretsDeep(value, REDACTED, field));
  }
  return out as RedactedConfig;
}

/** A string written as a URL, `scheme://…`. */
export const SCHEME_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/;

/** A deep copy of `value` with `maskUrlSecrets` applied to every string written as a URL. */
function maskUrlsDeep(value: unknown): unknown {
  if (typeof value === "string") return SCHEME_URL.test(value) ? maskUrlSecrets(value) : value;
  if (Array.isArray(value)) return value.map(maskUrlsDeep);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskUrlsDeep(v)]));
  }
  return value;
}

/** Fields that describe the config (sources, warnings), not values from it. */
const BOOKKEEPING = new Set(["sources", "keySources", "warnings", "home", "configPath"]);

/**
 * Query parameters whose values are credentials (`?key=`, `?access_token=`, `?sig=` …, and
 * Azure Functions' `?code=`).
 */
const secretParam = /key|token|secret|sig|pass|auth|credential|^code$/i;

/**
 * `url` as config output shows it: its whole userinfo (the name may be a token, as in
 * `https://TOKEN@host`) and the values of credential-like query parameters replaced with
 * `[redacted]`; everything else as written.
 */
export function maskUrlSecrets(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const hasUserinfo = parsed.username !== "" || parsed.password !== "";
  if (!hasUserinfo && ![...parsed.searchParams.keys()].some((k) => secretParam.test(k))) return url;
  const userinfo = hasUserinfo ? `${REDACTED}@` : "";
  const query = [...parsed.searchParams]
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${secretParam.test(k) ? REDACTED : encodeURIComponent(v)}`,
    )
    .join("&");
  return `${parsed.protocol}//${userinfo}${parsed.host}${parsed.pathname}${query ? `?${query}` : ""}${parsed.hash}`;
}

/**
 * The secret parts of a URL (the userinfo password, or its name when it has no password, and
 * credential-like query values), each as written and decoded.
 */
export function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const out = [...parsed.searchParams].filter(([k]) => secretParam.test(k)).map(([, v]) => v);
  // The name is the credential only when it stands alone (`https://TOKEN@host`); beside a
  // password it is a user name, and redacting it would blank that word out of every error.
  const credential = parsed.password === "" ? parsed.username : parsed.password;
  if (credential !== "") out.push(credential, safeDecode(credential));
  return [...new Set(out)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
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
 * userinfo and credential-like query values, of base URLs and OIDC issuers).
 */
export function collectSecrets(config: ResolvedConfig): string[] {
  const secrets = new Set<string>();
  if (config.apiKey) secrets.add(config.apiKey);
  for (const backend of Object.values(config.backends)) {
    if (backend.type !== "openai" && backend.type !== "anthropic") continue;
    if (backend.apiKey) secrets.add(backend.apiKey);
    if (backend.auth?.clientSecret) secrets.add(backend.auth.clientSecret);
    for (const secret of urlSecrets(backend.auth?.issuer ?? "")) secrets.add(secret);
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
