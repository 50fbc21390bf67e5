import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../config/atomic-write.js";
import type { ClaudeQuotaSignal } from "./quota-matcher.js";

/** File name of the quota cache under the switchyard home. */
export const CLAUDE_QUOTA_FILE = "claude-quota.json";

/** A snapshot older than this is stale: automatic routing then assumes Claude is limited. */
export const DEFAULT_CLAUDE_QUOTA_STALE_AFTER_MS = 15 * 60_000;

/** Headroom of one window as last seen. */
export interface ClaudeQuotaWindow {
  /** `five_hour`, `seven_day`, `overage`, … or `usage` when the CLI did not say. */
  name: string;
  status: "ok" | "warning" | "exhausted";
  /** Fraction used (0..1), when reported. */
  utilization?: number;
  /** ISO 8601, when reported. */
  resetsAt?: string;
}

/** What the durable cache holds: the latest evidence about the subscription's quota. */
export interface ClaudeQuotaSnapshot {
  version: 1;
  /** ISO 8601 time the evidence was seen. */
  capturedAt: string;
  /** Where it came from: a finished run, a `rate_limit_event`, or the CLI's error text. */
  source: "run" | "rate-limit-event" | "message";
  /** The worst window status. */
  status: "ok" | "warning" | "exhausted";
  windows: ClaudeQuotaWindow[];
  /** Short safe description of the latest signal. */
  detail?: string;
}

/** What automatic routing should do about Claude right now. */
export interface ClaudeRoutingDecision {
  /** Send automatic traffic to Claude (false: prefer the route's fallback backend). */
  prefer: boolean;
  /** A snapshot exists and is younger than the freshness window. */
  fresh: boolean;
  /** A snapshot exists at all (possibly stale). */
  present: boolean;
  /** Age of the snapshot in ms (0 when absent). */
  ageMs: number;
  /** Why, for `status`/`doctor` output. */
  reason: string;
  /** The earliest known reset of an exhausted window (ISO 8601). */
  resetsAt?: string;
}

/**
 * Turns a snapshot into a routing decision. Missing or stale means "assume limited"
 * (`prefer: false`); fresh and exhausted means limited until its reset time has passed.
 * This is for AUTOMATIC routing only: an explicit `claude:` model prefix still runs.
 */
export function decideClaudeRouting(
  snapshot: ClaudeQuotaSnapshot | undefined,
  now: number,
  staleAfterMs: number = DEFAULT_CLAUDE_QUOTA_STALE_AFTER_MS,
): ClaudeRoutingDecision {
  if (snapshot === undefined) {
    return {
      prefer: false,
      fresh: false,
      present: false,
      ageMs: 0,
      reason: "no quota snapshot: assume limited",
    };
  }
  const captured = Date.parse(snapshot.capturedAt);
  const ageMs = Number.isFinite(captured) ? Math.max(0, now - captured) : Number.POSITIVE_INFINITY;
  const fresh = ageMs < staleAfterMs;
  const base = { present: true, fresh, ageMs: Number.isFinite(ageMs) ? ageMs : 0 };
  if (!fresh) {
    return {
      ...base,
      prefer: false,
      reason: `quota snapshot is stale (${Math.round(ageMs / 1000)}s old): assume limited`,
    };
  }
  const exhausted = snapshot.windows.filter((w) => w.status === "exhausted");
  if (exhausted.length === 0 && snapshot.status === "exhausted") {
    return { ...base, prefer: false, reason: snapshot.detail ?? "quota exhausted" };
  }
  const blocking = exhausted.filter((w) => {
    const reset = w.resetsAt === undefined ? Number.NaN : Date.parse(w.resetsAt);
    return !(Number.isFinite(reset) && reset <= now);
  });
  if (blocking.length > 0) {
    const resets = blocking
      .map((w) => w.resetsAt)
      .filter((r): r is string => r !== undefined)
      .sort()[0];
    return {
      ...base,
      prefer: false,
      reason: snapshot.detail ?? `${blocking[0]?.name ?? "usage"} limit exhausted`,
      ...(resets === undefined ? {} : { resetsAt: resets }),
    };
  }
  if (exhausted.length > 0) return { ...base, prefer: true, reason: "exhausted window has reset" };
  return {
    ...base,
    prefer: true,
    reason: snapshot.status === "warning" ? "near a limit, still allowed" : "headroom",
  };
}

function isSnapshot(value: unknown): value is ClaudeQuotaSnapshot {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<ClaudeQuotaSnapshot>;
  return (
    v.version === 1 &&
    typeof v.capturedAt === "string" &&
    typeof v.status === "string" &&
    Array.isArray(v.windows)
  );
}

/** Reads a snapshot; undefined when the file is missing or not a valid snapshot. */
export async function readClaudeQuota(path: string): Promise<ClaudeQuotaSnapshot | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as unknown;
    return isSnapshot(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a snapshot atomically (temp file + rename) with mode 0600. */
export async function writeClaudeQuota(path: string, snapshot: ClaudeQuotaSnapshot): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(snapshot, null, 2)}\n`, { mode: 0o600 });
}

/** Builds the snapshot a signal implies, keeping other windows of a fresh `previous` one. */
export function snapshotFromSignal(
  signal: ClaudeQuotaSignal,
  now: number,
  previous?: ClaudeQuotaSnapshot,
): ClaudeQuotaSnapshot {
  const status = signal.kind === "exhausted" || signal.kind === "warning" ? signal.kind : "ok";
  const window: ClaudeQuotaWindow = {
    name: signal.window ?? "usage",
    status,
    ...(signal.utilization === undefined ? {} : { utilization: signal.utilization }),
    ...(signal.resetsAt === undefined ? {} : { resetsAt: signal.resetsAt }),
  };
  const fresh = previous !== undefined && decideClaudeRouting(previous, now).fresh;
  let others = fresh ? previous.windows.filter((w) => w.name !== window.name) : [];
  // A run that succeeded proves no window is exhausted any more.
  if (signal.kind === "ok" && signal.source === "run") {
    others = others.filter((w) => w.status !== "exhausted");
  }
  const windows = [...others, window];
  const order = { ok: 0, warning: 1, exhausted: 2 } as const;
  const worst = windows.reduce<ClaudeQuotaWindow["status"]>(
    (acc, w) => (order[w.status] > order[acc] ? w.status : acc),
    "ok",
  );
  return {
    version: 1,
    capturedAt: new Date(now).toISOString(),
    source: signal.source ?? "message",
    status: worst,
    windows,
    detail: signal.detail,
  };
}

/** Options for {@link createClaudeQuotaCache}. */
export interface ClaudeQuotaCacheOptions {
  /** Cache file; default `<home>/claude-quota.json`. */
  path?: string;
  /** Switchyard home, used when `path` is not given. */
  home?: string;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Freshness window. Default 15 minutes. */
  staleAfterMs?: number;
}

/** The durable quota cache plus an in-memory copy for synchronous routing decisions. */
export interface ClaudeQuotaCache {
  readonly path: string;
  /** Loads the file into memory (call once at start; later reads use memory). */
  load(): Promise<ClaudeQuotaSnapshot | undefined>;
  /** The in-memory snapshot. */
  current(): ClaudeQuotaSnapshot | undefined;
  /** Records a signal: updates memory and rewrites the file. `ok` signals are throttled. */
  record(signal: ClaudeQuotaSignal): Promise<void>;
  /** The routing decision for now, from memory. */
  decide(): ClaudeRoutingDecision;
}

/** Creates a {@link ClaudeQuotaCache}. */
export function createClaudeQuotaCache(options: ClaudeQuotaCacheOptions): ClaudeQuotaCache {
  const { now = Date.now, staleAfterMs = DEFAULT_CLAUDE_QUOTA_STALE_AFTER_MS } = options;
  const path = options.path ?? join(options.home ?? ".", CLAUDE_QUOTA_FILE);
  let snapshot: ClaudeQuotaSnapshot | undefined;
  let writing: Promise<void> = Promise.resolve();
  return {
    path,
    async load() {
      snapshot = await readClaudeQuota(path);
      return snapshot;
    },
    current: () => snapshot,
    async record(signal) {
      if (signal.kind === "rate-limited") return;
      const at = now();
      if (signal.kind === "ok" && snapshot?.status === "ok") {
        // A success only refreshes an already-good snapshot once a minute: no write per request.
        const age = at - Date.parse(snapshot.capturedAt);
        if (age < 60_000) return;
      }
      const next = snapshotFromSignal(signal, at, snapshot);
      snapshot = next;
      writing = writing.then(() => writeClaudeQuota(path, next)).catch(() => {});
      await writing;
    },
    decide: () => decideClaudeRouting(snapshot, now(), staleAfterMs),
  };
}
