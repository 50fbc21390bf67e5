import type { BackendConfig, ResolvedConfig } from "../config/types.js";

/** A URL without userinfo, query or fragment (any of which may carry a credential). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/$/, "");
  } catch {
    return "(invalid url)";
  }
}

/** A backend's config as `/status` shows it: keys become `hasKey`, header values are hidden. */
export function redactBackend(config: BackendConfig): Record<string, unknown> {
  if (config.type === "echo") return { type: "echo" };
  if (config.type === "claude-code" || config.type === "codex") {
    return {
      type: config.type,
      binary: config.binary ?? (config.type === "codex" ? "codex" : "claude"),
      concurrency: config.concurrency ?? 2,
      timeoutMs: config.timeoutMs ?? 600_000,
      models: config.models ?? [],
    };
  }
  if (config.type === "replay") {
    return { type: config.type, cassette: config.cassette, match: config.match ?? "normalized" };
  }
  const out: Record<string, unknown> = { type: config.type };
  if (config.baseUrl !== undefined) out.baseUrl = redactUrl(config.baseUrl);
  out.hasKey = typeof config.apiKey === "string" && config.apiKey.length > 0;
  if (config.targets !== undefined) {
    out.targets = config.targets.map((t, i) => ({
      id: t.id ?? `#${i}`,
      baseUrl: redactUrl(t.baseUrl),
      hasKey: typeof t.apiKey === "string" && t.apiKey.length > 0,
      weight: t.weight ?? 1,
    }));
  }
  if (config.headers !== undefined) out.headerNames = Object.keys(config.headers);
  if (config.models !== undefined) out.models = config.models;
  if (config.timeouts !== undefined) out.timeouts = config.timeouts;
  return out;
}

/** Every backend, redacted. */
export function redactBackends(config: ResolvedConfig): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, backend] of Object.entries(config.backends)) out[name] = redactBackend(backend);
  if (out.echo === undefined) out.echo = { type: "echo" };
  return out;
}
