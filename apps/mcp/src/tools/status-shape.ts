import { z } from "zod";
import {
  asArray,
  asNumber,
  asObject,
  asString,
  compact,
  requireObject,
  safeUrl,
} from "../internal/coerce.js";

/** One configured upstream target as `/status` reports it (keys never included). */
export const targetSchema = z.object({
  id: z.string().describe("Target id used in logs and status"),
  baseUrl: z.string().optional().describe("Upstream base URL (credentials stripped)"),
  hasKey: z
    .boolean()
    .optional()
    .describe("Whether a key is configured (the key itself never is shown)"),
  weight: z.number().optional().describe("Relative share of traffic when headroom is equal"),
});

/** One configured backend as `/status` reports it, redacted. */
export const backendSchema = z.object({
  name: z.string().describe("Backend name used in routes and `backend:model`"),
  type: z.string().describe("openai | anthropic | claude-code | echo | …"),
  baseUrl: z.string().optional().describe("Upstream base URL (credentials stripped)"),
  hasKey: z.boolean().describe("Whether a key is configured"),
  targets: z.array(targetSchema).optional().describe("Pool targets, when the backend has several"),
  models: z.array(z.string()).optional().describe("Models the backend declares"),
});

/** One routing rule. */
export const routeSchema = z.object({
  match: z.string().describe("Glob on the request's model name"),
  backend: z.string(),
  model: z.string().optional().describe("Model sent upstream instead"),
  fallback: z
    .string()
    .optional()
    .describe("Backend used instead while the route's backend asks to be avoided"),
});

/** The parts of `GET /status` the tools use, normalised. */
export interface ProxyStatus {
  version?: string;
  uptimeMs?: number;
  host?: string;
  port?: number;
  backends: z.infer<typeof backendSchema>[];
  routes: z.infer<typeof routeSchema>[];
  defaultBackend?: string;
  counts?: {
    requests: number;
    errors: number;
    inFlight: number;
    byBackend: Record<string, number>;
  };
  guard?: Record<string, unknown>;
  pool?: Record<string, unknown>;
  sessions?: Record<string, unknown>;
  /** CLI backends (claude-code, codex): whether automatic routing uses them now, and why. */
  availability?: Record<string, { prefer: boolean; reason: string }>;
}

/** `availability` of `/status`, whitelisted to `prefer` and a short `reason` per backend. */
function normalizeAvailability(value: unknown): ProxyStatus["availability"] {
  const out: Record<string, { prefer: boolean; reason: string }> = {};
  for (const [name, raw] of Object.entries(asObject(value) ?? {})) {
    const a = asObject(raw);
    if (typeof a?.prefer !== "boolean") continue;
    out[name] = { prefer: a.prefer, reason: (asString(a.reason) ?? "").slice(0, 300) };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function normalizeTarget(value: unknown, index: number, backend: string) {
  const t = asObject(value) ?? {};
  return compact({
    id: asString(t.id) ?? `${backend}#${index}`,
    baseUrl: safeUrl(t.baseUrl),
    hasKey: typeof t.hasKey === "boolean" ? t.hasKey : undefined,
    weight: asNumber(t.weight),
  });
}

/** Whitelists the documented fields of a backend, so nothing else the proxy sent leaks. */
export function normalizeBackend(value: unknown): z.infer<typeof backendSchema> | undefined {
  const b = asObject(value);
  const name = asString(b?.name);
  if (!b || !name) return undefined;
  const targets = Array.isArray(b.targets)
    ? b.targets.map((t, i) => normalizeTarget(t, i, name))
    : undefined;
  const models = Array.isArray(b.models)
    ? b.models.filter((m): m is string => typeof m === "string")
    : undefined;
  return compact({
    name,
    type: asString(b.type) ?? "unknown",
    baseUrl: safeUrl(b.baseUrl),
    hasKey: b.hasKey === true,
    targets,
    models: models?.length ? models : undefined,
  });
}

function numbersOf(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(asObject(value) ?? {})) {
    const n = asNumber(v);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/**
 * Counts in either shape a proxy may send: `counts: { requests, errors, inFlight, byBackend }`
 * or `requests: { total, byBackend: { name: { "<status>": n } } }` with a top-level `inFlight`.
 */
function normalizeCounts(s: Record<string, unknown>): ProxyStatus["counts"] {
  const c = asObject(s.counts);
  if (c) {
    return {
      requests: asNumber(c.requests) ?? 0,
      errors: asNumber(c.errors) ?? 0,
      inFlight: asNumber(c.inFlight) ?? asNumber(s.inFlight) ?? 0,
      byBackend: numbersOf(c.byBackend),
    };
  }
  const r = asObject(s.requests);
  if (!r) return undefined;
  const byBackend: Record<string, number> = {};
  let errors = 0;
  for (const [name, byStatus] of Object.entries(asObject(r.byBackend) ?? {})) {
    const flat = asNumber(byStatus);
    if (flat !== undefined) {
      byBackend[name] = flat;
      continue;
    }
    for (const [status, n] of Object.entries(numbersOf(byStatus))) {
      byBackend[name] = (byBackend[name] ?? 0) + n;
      if (Number(status) >= 400 || Number(status) === 0) errors += n;
    }
  }
  return {
    requests: asNumber(r.total) ?? Object.values(byBackend).reduce((a, b) => a + b, 0),
    errors: asNumber(r.errors) ?? errors,
    inFlight: asNumber(s.inFlight) ?? 0,
    byBackend,
  };
}

function hostPort(url: unknown): { host?: string; port?: number } {
  try {
    const u = new URL(String(url));
    return { host: u.hostname.replace(/^\[|\]$/g, ""), port: Number(u.port) || undefined };
  } catch {
    return {};
  }
}

/** Normalises a `GET /status` body; backends become an array whatever form the proxy used. */
export function normalizeStatus(body: unknown): ProxyStatus {
  const s = requireObject(body, "GET /status");
  // Accept `backends` as an array or as a name → backend map.
  const rawBackends = Array.isArray(s.backends)
    ? s.backends
    : Object.entries(asObject(s.backends) ?? {}).map(([name, b]) => ({ name, ...asObject(b) }));
  const routes = asArray(s.routes).flatMap((r) => {
    const o = asObject(r);
    const match = asString(o?.match);
    const backend = asString(o?.backend);
    return match && backend
      ? [compact({ match, backend, model: asString(o?.model), fallback: asString(o?.fallback) })]
      : [];
  });
  const fromUrl = hostPort(s.url);
  return compact({
    version: asString(s.version),
    uptimeMs: asNumber(s.uptimeMs),
    host: asString(s.host) ?? fromUrl.host,
    port: asNumber(s.port) ?? fromUrl.port,
    backends: rawBackends.flatMap((b) => normalizeBackend(b) ?? []),
    routes,
    defaultBackend: asString(s.defaultBackend),
    counts: normalizeCounts(s),
    guard: asObject(s.guard),
    pool: asObject(s.pool),
    sessions: asObject(s.sessions),
    availability: normalizeAvailability(s.availability),
  });
}
