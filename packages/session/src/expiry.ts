import { SessionError } from "./session-error.js";

/** One session as the registry stores, snapshots and exports it (plain JSON). */
export interface SessionEntry {
  key: string;
  /** Epoch ms of the first request. */
  createdAt: number;
  /** Epoch ms of the latest touch. */
  lastSeenAt: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Backend that served the latest recorded request. */
  lastBackend?: string;
  /** Pool target that served the latest recorded request. */
  lastTarget?: string;
  /** Small JSON-safe state other features attach (e.g. a Claude Code session id). */
  data: Record<string, unknown>;
}

/** What users pass to `createSessionRegistry`. */
export interface SessionRegistryOptions {
  /** A session untouched this long expires. Default 30 minutes; `Infinity` disables. */
  idleTimeoutMs?: number;
  /** A session older than this expires however busy. Default 24 hours; `Infinity` disables. */
  maxAgeMs?: number;
  /** Most sessions held; the least recently used is evicted beyond it. Default 10000. */
  maxSessions?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Called after a session leaves the registry, with the reason. */
  onEvict?: (entry: SessionEntry, reason: EvictionReason) => void;
}

/** The limits expiry and eviction decisions use. */
export interface SessionConfig {
  idleTimeoutMs: number;
  maxAgeMs: number;
  maxSessions: number;
}

/** Why a session expired. */
export type ExpiryReason = "idle" | "max-age";

/** Why a session left the registry. */
export type EvictionReason = ExpiryReason | "lru" | "deleted";

/** One eviction decided by `pickEvictions`. */
export interface Eviction {
  key: string;
  reason: EvictionReason;
}

/** Validates options and fills in defaults. Throws `SessionError` `invalid-option`. */
export function resolveSessionConfig(options: SessionRegistryOptions = {}): SessionConfig {
  const {
    idleTimeoutMs = 30 * 60_000,
    maxAgeMs = 24 * 60 * 60_000,
    maxSessions = 10_000,
  } = options;
  for (const [name, value] of Object.entries({ idleTimeoutMs, maxAgeMs })) {
    if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
      throw new SessionError("invalid-option", `${name} must be a positive number of ms`);
    }
  }
  if (!Number.isInteger(maxSessions) || maxSessions < 1) {
    throw new SessionError("invalid-option", "maxSessions must be an integer of at least 1");
  }
  return { idleTimeoutMs, maxAgeMs, maxSessions };
}

/** Why `entry` has expired at `now`, or `undefined` while it is live. Idle is checked first. */
export function expiryReason(
  entry: Pick<SessionEntry, "createdAt" | "lastSeenAt">,
  now: number,
  config: Pick<SessionConfig, "idleTimeoutMs" | "maxAgeMs">,
): ExpiryReason | undefined {
  if (now - entry.lastSeenAt >= config.idleTimeoutMs) return "idle";
  if (now - entry.createdAt >= config.maxAgeMs) return "max-age";
  return undefined;
}

/** True when `entry` has expired at `now` (idle too long or too old). */
export function isExpired(
  entry: Pick<SessionEntry, "createdAt" | "lastSeenAt">,
  now: number,
  config: Pick<SessionConfig, "idleTimeoutMs" | "maxAgeMs">,
): boolean {
  return expiryReason(entry, now, config) !== undefined;
}

/** Inputs of `pickEvictions`. */
export interface PickEvictionsInput {
  /** Entries least recently used first (the registry's iteration order). */
  entries: Iterable<SessionEntry>;
  now: number;
  config: SessionConfig;
  /** Room to make for sessions about to be added. Default 0. */
  incoming?: number;
}

/**
 * Decides which sessions to drop: every expired one, then as many least recently used ones
 * as needed so that the survivors plus `incoming` fit in `maxSessions`.
 */
export function pickEvictions({
  entries,
  now,
  config,
  incoming = 0,
}: PickEvictionsInput): Eviction[] {
  const evictions: Eviction[] = [];
  const live: string[] = [];
  for (const entry of entries) {
    const reason = expiryReason(entry, now, config);
    if (reason) evictions.push({ key: entry.key, reason });
    else live.push(entry.key);
  }
  const overflow = live.length + incoming - config.maxSessions;
  for (let i = 0; i < overflow && i < live.length; i++) {
    evictions.push({ key: live[i]!, reason: "lru" });
  }
  return evictions;
}
