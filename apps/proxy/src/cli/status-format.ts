import { formatTable } from "./common-args.js";

/** The parts of `GET /status` rendered specially; anything else is shown as compact JSON. */
export interface StatusBody {
  version?: string;
  uptimeMs?: number;
  url?: string;
  backends?: Record<
    string,
    { type?: string; baseUrl?: string; hasKey?: boolean; targets?: unknown[] }
  >;
  routes?: { match: string; backend: string; model?: string }[];
  defaultBackend?: string | null;
  requests?: { total?: number; byBackend?: Record<string, Record<string, number>> };
  inFlight?: number;
  pool?: Record<string, { targets?: PoolTarget[]; bindings?: number; queued?: number }>;
  sessions?: { active?: number; seen?: number };
  /** Whether automatic routing uses a backend that judges its own quota (CLI backends), and why. */
  availability?: Record<string, { prefer?: boolean; reason?: string }>;
  /** Sign-in state of backends with an `auth` block (never a token). */
  auth?: Record<
    string,
    { flow?: string; signedIn?: boolean; expiresAt?: string; refreshable?: boolean }
  >;
  guard?: {
    enabled?: boolean;
    behavior?: string;
    state?: string;
    halts?: number;
    budgets?: number;
    reason?: string;
    since?: string;
  };
  /** Live reload: whether the config file is watched, and the last reload's outcome. */
  reload?: {
    watching?: boolean;
    configPath?: string;
    last?: { ok?: boolean; at?: string; trigger?: string; message?: string } | null;
  };
  [key: string]: unknown;
}

interface PoolTarget {
  id?: string;
  available?: boolean;
  headroom?: number;
  health?: number;
  breaker?: string;
  inFlight?: number;
  requests?: number;
  rateLimited?: number;
  failures?: number;
  errors?: number;
  cooldownUntil?: string | null;
}

const RENDERED = new Set([
  "version",
  "uptimeMs",
  "url",
  "backends",
  "routes",
  "defaultBackend",
  "requests",
  "inFlight",
  "pool",
  "sessions",
  "guard",
  "reload",
  "auth",
  "availability",
]);

/** Render a `/status` body as a short human summary. */
export function formatStatus(status: StatusBody, url: string): string {
  const lines = [
    `switchyard ${status.version ?? "?"} at ${status.url ?? url}, up ${formatDuration(status.uptimeMs ?? 0)}`,
  ];
  const counts = status.requests?.byBackend ?? {};
  const rows = Object.entries(status.backends ?? {}).map(([name, b]) => {
    const byStatus = counts[name] ?? {};
    const total = Object.values(byStatus).reduce((a, n) => a + n, 0);
    const errors = Object.entries(byStatus)
      .filter(([code]) => Number(code) >= 400)
      .reduce((a, [, n]) => a + n, 0);
    const where = b.baseUrl ?? (Array.isArray(b.targets) ? `${b.targets.length} targets` : "-");
    const keyless = b.type === "echo" || b.type === "claude-code" || b.type === "codex";
    const key = keyless ? "-" : b.hasKey ? "yes" : "no";
    return [name, b.type ?? "?", where, key, String(total), String(errors)];
  });
  if (rows.length > 0) {
    const header = ["BACKEND", "TYPE", "URL", "KEY", "REQUESTS", "ERRORS"];
    lines.push("", formatTable([header, ...rows], "  "));
  }
  const routes = (status.routes ?? []).map((r) => `${r.match} → ${r.backend}`).join(", ");
  lines.push(
    "",
    `  routes:    ${routes || "none"}`,
    `  default:   ${status.defaultBackend ?? "none"}`,
    `  requests:  ${status.requests?.total ?? 0} total, ${status.inFlight ?? 0} in flight`,
  );
  if (status.sessions) {
    lines.push(
      `  sessions:  ${status.sessions.active ?? 0} active, ${status.sessions.seen ?? 0} seen`,
    );
  }
  if (status.guard) lines.push(`  guard:     ${formatGuard(status.guard)}`);
  if (status.reload) lines.push(`  config:    ${formatReload(status.reload)}`);
  for (const [name, a] of Object.entries(status.availability ?? {})) {
    const verdict = a.prefer ? "used for automatic routing" : "avoided by automatic routing";
    lines.push(`  quota:     ${name}: ${verdict} (${a.reason ?? "?"})`);
  }
  for (const [name, a] of Object.entries(status.auth ?? {})) {
    lines.push(`  sign-in:   ${formatSignIn(name, a)}`);
  }
  for (const [key, value] of Object.entries(status)) {
    if (RENDERED.has(key) || value === undefined) continue;
    const shown = typeof value === "object" ? JSON.stringify(value) : String(value);
    lines.push(`  ${`${key}:`.padEnd(10)} ${shown}`);
  }
  lines.push(...formatPool(status.pool ?? {}));
  return lines.join("\n");
}

function formatReload(reload: NonNullable<StatusBody["reload"]>): string {
  const watched = `${reload.configPath ?? "?"} (${reload.watching ? "watched" : "not watched"})`;
  const last = reload.last;
  if (!last) return `${watched}; not reloaded since start`;
  const outcome = last.ok ? "reloaded" : "a reload FAILED (still serving the previous config)";
  return `${watched}; ${outcome} at ${last.at ?? "?"} (${last.trigger ?? "?"}): ${last.message ?? ""}`;
}

/** `gateway: signed in (pkce), valid until …, renews itself` or how to sign in. */
export function formatSignIn(name: string, a: NonNullable<StatusBody["auth"]>[string]): string {
  const flow = a.flow ?? "oidc";
  if (!a.signedIn) {
    return flow === "client_credentials"
      ? `${name}: no token yet (client credentials: fetched on the first request)`
      : `${name}: not signed in (\`switchyard login ${name}\`)`;
  }
  const until = a.expiresAt ? `, token valid until ${a.expiresAt}` : "";
  const renews = a.refreshable || flow === "client_credentials" ? ", renews itself" : "";
  return `${name}: signed in (${flow})${until}${renews}`;
}

function formatGuard(guard: NonNullable<StatusBody["guard"]>): string {
  if (guard.enabled === false) return "off";
  const budgets = `${guard.budgets ?? 0} budget${guard.budgets === 1 ? "" : "s"}`;
  if (guard.state && guard.state !== "ok") {
    const since = guard.since ? ` since ${guard.since}` : "";
    const reason = guard.reason ? `: ${guard.reason}` : "";
    const hint = guard.state === "halted" ? " (`switchyard resume` lifts it)" : "";
    return `${guard.state.toUpperCase()}${since}${reason}${hint}`;
  }
  return `ok (${guard.behavior ?? "halt"} mode, ${budgets})`;
}

function formatPool(pool: NonNullable<StatusBody["pool"]>): string[] {
  const rows: string[][] = [];
  for (const [backend, entry] of Object.entries(pool)) {
    for (const t of entry.targets ?? []) {
      const state =
        t.available === false
          ? t.cooldownUntil
            ? `cooling until ${t.cooldownUntil}`
            : "unavailable"
          : "ok";
      rows.push([
        backend,
        t.id ?? "?",
        state,
        t.breaker ?? "-",
        String(t.headroom ?? "-"),
        String(t.inFlight ?? 0),
        String(t.requests ?? 0),
        String(t.rateLimited ?? 0),
        String(t.errors ?? 0),
        String(t.failures ?? 0),
      ]);
    }
  }
  if (rows.length === 0) return [];
  const header = [
    "POOL",
    "TARGET",
    "STATE",
    "BREAKER",
    "HEADROOM",
    "IN FLIGHT",
    "REQUESTS",
    "429S",
    "ERRORS",
    "FAILOVERS",
  ];
  return ["", formatTable([header, ...rows], "  ")];
}

/** `42s`, `3m 5s`, `2h 10m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}
