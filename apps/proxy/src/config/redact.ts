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
 * `none`) and header values masked. Safe to print or serve.
 */
export function redactConfig(config: ResolvedConfig): RedactedConfig {
  const keyOf = (path: string, value: string | undefined): string =>
    config.keySources?.[path] ?? (value === undefined ? "none" : "literal");
  const backends: Record<string, Record<string, unknown>> = {};
  for (const [name, backend] of Object.entries(config.backends)) {
    backends[name] = redactBackend(name, backend, keyOf);
  }
  return { ...config, apiKey: keyOf("apiKey", config.apiKey), backends };
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
  if (backend.headers) {
    out.headers = Object.fromEntries(Object.keys(backend.headers).map((k) => [k, REDACTED]));
  }
  if (backend.targets) {
    out.targets = backend.targets.map((target, i) => {
      const own = `${path}.targets[${i}].apiKey`;
      // A target without its own key entry uses the backend's key.
      const apiKey = keyOf(own, undefined) === "none" ? backendKey : keyOf(own, target.apiKey);
      return { ...target, apiKey };
    });
  }
  return out;
}

/** Every secret value in `config` (client key, backend and target keys, header values). */
export function collectSecrets(config: ResolvedConfig): string[] {
  const secrets = new Set<string>();
  if (config.apiKey) secrets.add(config.apiKey);
  for (const backend of Object.values(config.backends)) {
    if (backend.type !== "openai" && backend.type !== "anthropic") continue;
    if (backend.apiKey) secrets.add(backend.apiKey);
    for (const target of backend.targets ?? []) if (target.apiKey) secrets.add(target.apiKey);
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
