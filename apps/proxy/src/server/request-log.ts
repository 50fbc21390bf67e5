/** One line of the request log. Never holds a secret, a prompt, or a response body. */
export interface RequestLogEntry {
  /** ISO time the request arrived. */
  time: string;
  id: string;
  method: string;
  path: string;
  /** `prefix`, `route:<glob>` or `default`; absent when routing did not happen. */
  route?: string;
  backend?: string;
  /** The model the client asked for. */
  model?: string;
  /** The model sent upstream. */
  upstreamModel?: string;
  stream?: boolean;
  status: number;
  latencyMs: number;
  /** Time to the first response byte. */
  ttfbMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  target?: string;
  failovers?: number;
  /** The conversation's key: a 12-digit prefix of its SHA-256, never a raw client id. */
  sessionKey?: string;
  billingSignals?: string[];
  /** What a translated Responses request left out (tools, history items), by type. */
  omitted?: string[];
  /** USD the request cost (price table × reported usage); null when the model has no price. */
  costUsd?: number | null;
  /** The ProxyError code when the request failed. */
  error?: string;
  /** True when the client went away before the response ended. */
  clientClosed?: boolean;
}

/** In-memory ring of recent entries plus counters for `/status`. */
export interface RequestLogRing {
  /**
   * Adds a finished request. `line` is its JSON (`JSON.stringify(entry)`) when the caller
   * already has it; the ring keeps that one flat string rather than the entry's object graph,
   * which at thousands of requests a second would all be promoted to the old generation.
   */
  add(entry: RequestLogEntry, line?: string): void;
  /** The last `limit` entries, oldest first. */
  last(limit: number): RequestLogEntry[];
  /** Counts by backend, then by status. */
  counts(): Record<string, Record<string, number>>;
  total(): number;
}

/** Creates the ring (default capacity 500). */
export function createRequestLogRing(capacity = 500): RequestLogRing {
  const lines: Array<string | undefined> = new Array(capacity);
  let next = 0;
  let size = 0;
  let total = 0;
  const counts = new Map<string, Map<number, number>>();
  return {
    add(entry, line = JSON.stringify(entry)) {
      lines[next] = line;
      next = (next + 1) % capacity;
      if (size < capacity) size += 1;
      total += 1;
      const key = entry.backend ?? "(none)";
      let byStatus = counts.get(key);
      if (byStatus === undefined) {
        byStatus = new Map();
        counts.set(key, byStatus);
      }
      byStatus.set(entry.status, (byStatus.get(entry.status) ?? 0) + 1);
    },
    last(limit) {
      const n = Math.max(0, Math.min(limit, size));
      const out: RequestLogEntry[] = [];
      for (let i = n; i > 0; i--) {
        const line = lines[(next - i + capacity) % capacity];
        if (line !== undefined) out.push(JSON.parse(line) as RequestLogEntry);
      }
      return out;
    },
    counts() {
      const out: Record<string, Record<string, number>> = {};
      for (const [backend, byStatus] of counts) {
        out[backend] = Object.fromEntries([...byStatus].map(([s, n]) => [String(s), n]));
      }
      return out;
    },
    total: () => total,
  };
}

/**
 * The request-log line for an entry: `JSON.stringify(entry)`, one flat string. The ring keeps
 * each line for its last 500 requests, long enough under load for V8 to promote it to the old
 * generation, and the log writer holds it until its next batch. A line built member by member
 * with `+=` is a rope of ~40 small strings (~2.5 KB of heap for a ~0.4 KB line) that stays a
 * rope while it is held, and more than doubled what the proxy promoted per request.
 */
export function serializeLogEntry(entry: RequestLogEntry): string {
  return JSON.stringify(entry);
}

/** A string that needs no escaping in JSON (no quote, backslash, control or surrogate unit). */
const plainJsonString = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * `JSON.stringify(value)` for a plain object, byte for byte, about twice as fast for a flat
 * one (a log entry, a guard event): each member is written directly and only strings that
 * need escaping, objects and non-empty arrays go through `JSON.stringify`.
 */
export function serializeFlat(object: object): string {
  let out = "{";
  const members = object as Record<string, unknown>;
  for (const key in members) {
    const value = members[key];
    let json: string;
    if (typeof value === "string") {
      json =
        value.length <= 256 && plainJsonString.test(value) ? `"${value}"` : JSON.stringify(value);
    } else if (typeof value === "number") json = Number.isFinite(value) ? String(value) : "null";
    else if (typeof value === "boolean") json = value ? "true" : "false";
    else if (value === undefined || typeof value === "function" || typeof value === "symbol") {
      continue;
    } else if (Array.isArray(value) && value.length === 0) json = "[]";
    else json = JSON.stringify(value) ?? "null";
    // Keys are the object's own member names: plain ASCII identifiers here.
    out += out.length === 1 ? `"${key}":${json}` : `,"${key}":${json}`;
  }
  return `${out}}`;
}
