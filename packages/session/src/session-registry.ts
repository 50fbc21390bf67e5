import {
  type Eviction,
  type EvictionReason,
  expiryReason,
  pickEvictions,
  resolveSessionConfig,
  type SessionConfig,
  type SessionEntry,
  type SessionRegistryOptions,
} from "./expiry.js";
import { SessionError } from "./session-error.js";

/** Usage to add to a session with `record`. */
export interface SessionUsage {
  /** Requests to count. Default 1. */
  requests?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Backend that served the request. */
  backend?: string;
  /** Pool target that served the request. */
  target?: string;
}

/** A point-in-time copy of the registry. */
export interface SessionSnapshot {
  size: number;
  config: SessionConfig;
  /** Live sessions, most recently used first. */
  sessions: SessionEntry[];
}

/** The plain-JSON form `export()` produces and `import()` accepts. */
export interface SessionExport {
  version: 1;
  sessions: SessionEntry[];
}

/** Tracks live sessions with idle/max-age expiry and an LRU cap. */
export interface SessionRegistry {
  /** Number of sessions held (expired ones may linger until accessed or swept). */
  readonly size: number;
  /** The resolved limits. */
  readonly config: SessionConfig;
  /** The live session for `key`, without refreshing it; drops it if expired. */
  get(key: string): SessionEntry | undefined;
  /** Creates or refreshes the session for `key` and marks it most recently used. */
  touch(key: string): SessionEntry;
  /** Touches `key` and adds `usage` to its counters. */
  record(key: string, usage?: SessionUsage): SessionEntry;
  /**
   * Does what `record` does and returns only the session's request count afterwards (1: this
   * call started it), without copying the entry (for a caller that records every request).
   */
  recordCount(key: string, usage?: SessionUsage): number;
  /** Whether `key` is held and live (expired sessions are dropped here). No copy is made. */
  has(key: string): boolean;
  /** Touches `key` and merges `patch` into its `data`; an `undefined` value removes a field. */
  setData(key: string, patch: Record<string, unknown>): SessionEntry;
  /** Removes `key`; true if it was held. */
  delete(key: string): boolean;
  /** Drops every expired session now and returns what it dropped. */
  sweep(): Eviction[];
  /** Live sessions, most recently used first. */
  snapshot(): SessionSnapshot;
  /** Live sessions as plain JSON, for an app to persist. */
  export(): SessionExport;
  /** Loads sessions from `export()` output; they replace held ones with the same key. */
  import(data: unknown): number;
}

/**
 * Creates a `SessionRegistry`. No timers: expiry happens lazily on access and on `sweep()`.
 *
 * @example
 * const sessions = createSessionRegistry({ idleTimeoutMs: 15 * 60_000, maxSessions: 1000 });
 * sessions.record("abc", { inputTokens: 120, outputTokens: 40, target: "eu-1" });
 */
export function createSessionRegistry(options: SessionRegistryOptions = {}): SessionRegistry {
  const config = resolveSessionConfig(options);
  const { now = Date.now, onEvict } = options;
  // Map iteration order is the LRU order: every touch re-inserts its key at the end.
  const sessions = new Map<string, SessionEntry>();
  // The most recently touched key is already last in LRU order: touching it again needs no
  // delete + re-insert (which churns the hash table) on back-to-back requests.
  let newestKey: string | undefined;

  const evict = (key: string, reason: EvictionReason): void => {
    const entry = sessions.get(key);
    if (!entry) return;
    if (key === newestKey) newestKey = undefined;
    sessions.delete(key);
    if (onEvict === undefined) return;
    try {
      onEvict(copy(entry), reason);
    } catch (error) {
      // The registry stays consistent whatever the callback does; its failure is reported.
      process.emitWarning(
        `@switchyard/session: onEvict threw: ${(error as Error)?.name ?? typeof error}`,
        "SessionRegistryWarning",
      );
    }
  };

  const live = (key: string, at: number): SessionEntry | undefined => {
    const entry = sessions.get(key);
    if (!entry) return undefined;
    const reason = expiryReason(entry, at, config);
    if (!reason) return entry;
    evict(key, reason);
    return undefined;
  };

  const touchInternal = (key: string): SessionEntry => {
    if (typeof key !== "string" || key === "") {
      throw new SessionError("invalid-option", "session key must be a non-empty string");
    }
    const at = now();
    let entry = live(key, at);
    if (entry) {
      entry.lastSeenAt = Math.max(entry.lastSeenAt, at);
      if (key === newestKey) return entry;
      sessions.delete(key);
    } else {
      // Only the oldest entries can need to go to make room for one more.
      while (sessions.size >= config.maxSessions) {
        const oldest = sessions.values().next().value as SessionEntry;
        evict(oldest.key, expiryReason(oldest, at, config) ?? "lru");
      }
      entry = {
        key,
        createdAt: at,
        lastSeenAt: at,
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        data: {},
      };
    }
    sessions.set(key, entry);
    newestKey = key;
    return entry;
  };

  const recordInternal = (key: string, usage: SessionUsage): SessionEntry => {
    // Validate everything before touching so bad input changes nothing.
    const requests = count(usage.requests, 1);
    const inputTokens = count(usage.inputTokens, 0);
    const outputTokens = count(usage.outputTokens, 0);
    const entry = touchInternal(key);
    entry.requests += requests;
    entry.inputTokens += inputTokens;
    entry.outputTokens += outputTokens;
    if (usage.backend !== undefined) entry.lastBackend = usage.backend;
    if (usage.target !== undefined) entry.lastTarget = usage.target;
    return entry;
  };

  return {
    get size() {
      return sessions.size;
    },
    config,
    get(key) {
      const entry = live(key, now());
      return entry && copy(entry);
    },
    has(key) {
      return live(key, now()) !== undefined;
    },
    touch(key) {
      return copy(touchInternal(key));
    },
    record(key, usage = {}) {
      return copy(recordInternal(key, usage));
    },
    recordCount(key, usage = {}) {
      return recordInternal(key, usage).requests;
    },
    setData(key, patch) {
      if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
        throw new SessionError("invalid-option", "setData expects a plain object");
      }
      const entry = touchInternal(key);
      for (const [field, value] of Object.entries(patch)) {
        if (value === undefined) delete entry.data[field];
        else entry.data[field] = value;
      }
      return copy(entry);
    },
    delete(key) {
      if (!sessions.has(key)) return false;
      evict(key, "deleted");
      return true;
    },
    sweep() {
      const evictions = pickEvictions({ entries: sessions.values(), now: now(), config });
      for (const { key, reason } of evictions) evict(key, reason);
      return evictions;
    },
    snapshot() {
      const at = now();
      const list = [...sessions.values()].filter((e) => !expiryReason(e, at, config));
      return { size: list.length, config, sessions: list.reverse().map(copy) };
    },
    export() {
      const at = now();
      const list = [...sessions.values()].filter((e) => !expiryReason(e, at, config));
      return { version: 1, sessions: list.map(copy) };
    },
    import(data) {
      const incoming = parseExport(data);
      const merged = new Map(sessions);
      for (const entry of incoming) {
        merged.delete(entry.key);
        merged.set(entry.key, entry);
      }
      const ordered = [...merged.values()].sort((a, b) => a.lastSeenAt - b.lastSeenAt);
      sessions.clear();
      newestKey = undefined;
      for (const entry of ordered) sessions.set(entry.key, entry);
      for (const { key, reason } of pickEvictions({ entries: ordered, now: now(), config })) {
        evict(key, reason);
      }
      return incoming.filter((entry) => sessions.get(entry.key) === entry).length;
    },
  };
}

function count(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new SessionError("invalid-option", "usage counts must be finite numbers >= 0");
  }
  return value;
}

function copy(entry: SessionEntry): SessionEntry {
  return { ...entry, data: { ...entry.data } };
}

const numberFields = [
  "createdAt",
  "lastSeenAt",
  "requests",
  "inputTokens",
  "outputTokens",
] as const;

/** Validates `export()` output; throws `invalid-import` naming the first bad field. */
function parseExport(data: unknown): SessionEntry[] {
  const fail = (message: string): never => {
    throw new SessionError("invalid-import", message);
  };
  if (typeof data !== "object" || data === null) return fail("import expects an object");
  const { version, sessions } = data as { version?: unknown; sessions?: unknown };
  if (version !== 1) fail(`unsupported export version ${JSON.stringify(version)}`);
  if (!Array.isArray(sessions)) return fail("sessions must be an array");
  return sessions.map((raw, i): SessionEntry => {
    if (typeof raw !== "object" || raw === null) return fail(`sessions[${i}] must be an object`);
    const item = raw as Record<string, unknown>;
    if (typeof item.key !== "string" || item.key === "") {
      return fail(`sessions[${i}].key must be a non-empty string`);
    }
    for (const field of numberFields) {
      const value = item[field];
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        fail(`sessions[${i}].${field} must be a finite number >= 0`);
      }
    }
    for (const field of ["lastBackend", "lastTarget"] as const) {
      if (item[field] !== undefined && typeof item[field] !== "string") {
        fail(`sessions[${i}].${field} must be a string`);
      }
    }
    const extra = item.data ?? {};
    if (typeof extra !== "object" || extra === null || Array.isArray(extra)) {
      fail(`sessions[${i}].data must be an object`);
    }
    const entry: SessionEntry = {
      key: item.key,
      createdAt: item.createdAt as number,
      lastSeenAt: item.lastSeenAt as number,
      requests: item.requests as number,
      inputTokens: item.inputTokens as number,
      outputTokens: item.outputTokens as number,
      data: { ...(extra as Record<string, unknown>) },
    };
    if (typeof item.lastBackend === "string") entry.lastBackend = item.lastBackend;
    if (typeof item.lastTarget === "string") entry.lastTarget = item.lastTarget;
    return entry;
  });
}
