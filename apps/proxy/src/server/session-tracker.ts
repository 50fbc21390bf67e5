import { hash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import {
  createSessionRegistry,
  deriveSessionKey,
  type SessionKeySource,
  type SessionRegistry,
  type SessionUsage,
} from "@switchyard/session";
import type { BackendResult, Dialect } from "../backends/types.js";

/** A request's conversation identity, safe to log. */
export interface RequestSession {
  /** SHA-256 (hex, 32 digits) of the derived key: the pool's sticky key and the registry key. */
  key: string;
  /** The first 12 digits of {@link key}, for the request log. */
  logKey: string;
  /** Which rule recognised the conversation (`header`, `content-hash`, …). */
  source: SessionKeySource;
}

/** Session counts as `/status` shows them. */
export interface SessionStatus {
  /** Live sessions (idle ≤ 30 min, age ≤ 24 h). */
  active: number;
  /** Sessions started since the proxy started (an expired one that returns counts again). */
  seen: number;
  /** Requests recognised per key source since start. */
  bySource: Partial<Record<SessionKeySource, number>>;
  /** The most recently active sessions: short key, counters, last backend and target. */
  recent: Array<{
    key: string;
    requests: number;
    inputTokens: number;
    outputTokens: number;
    backend?: string;
    target?: string;
    lastSeenAt: number;
  }>;
}

/** Recognises conversations across requests and counts their usage. */
export interface SessionTracker {
  /** Derives the session of one request from the client's headers (node's `req.headers`, so
   * lower-case names, before credential stripping: `x-session-id`,
   * `x-claude-code-session-id`) and its body; undefined when the request carries nothing to
   * recognise a conversation by. Never throws. */
  identify(input: {
    headers: IncomingHttpHeaders;
    body: Record<string, unknown>;
    dialect: Dialect;
  }): RequestSession | undefined;
  /** Records one finished request of a session. */
  record(session: RequestSession, backend: string, result: BackendResult): void;
  /** Takes back what {@link identify} counted for a request refused before it went upstream. */
  withdraw(session: RequestSession): void;
  status(): SessionStatus;
  readonly registry: SessionRegistry;
}

/** Options for {@link createSessionTracker}. */
export interface SessionTrackerOptions {
  idleTimeoutMs?: number;
  maxAgeMs?: number;
  maxSessions?: number;
  now?: () => number;
  /** The SHA-256 (hex) of a text; injectable for tests. Default `crypto.hash`. */
  sha256?: (text: string) => string;
}

// One-shot `crypto.hash` (Node ≥ 20.12): about half the cost of createHash().update().digest().
const nodeSha256 = (text: string) => hash("sha256", text, "hex");

/** Texts up to this long have their digest remembered; longer ones are hashed every time. */
const MEMO_MAX_LENGTH = 1024;
/** How many digests are remembered (at most ~2 MB of text). */
const MEMO_ENTRIES = 512;

/**
 * `sha256` with the digests of recent short texts remembered: every turn of a conversation
 * sends the same session header or opening message, so most requests hash a text seen before
 * (the one-shot hash costs ~2-3 µs, a lookup a fraction of that). The texts stay in this
 * closure only; nothing stored, logged or shown holds them.
 */
function memoized(sha256: (text: string) => string): (text: string) => string {
  const digests = new Map<string, string>();
  return (text) => {
    if (text.length > MEMO_MAX_LENGTH) return sha256(text);
    let digest = digests.get(text);
    if (digest === undefined) {
      digest = sha256(text);
      // Oldest first out: a Map iterates in insertion order.
      if (digests.size >= MEMO_ENTRIES) digests.delete(digests.keys().next().value as string);
      digests.set(text, digest);
    }
    return digest;
  };
}

/**
 * Creates the server's session tracker: keys are hashed before they are stored or logged, so a
 * raw client id (`metadata.user_id`, `user`, a session header) never leaves this function.
 */
export function createSessionTracker(options: SessionTrackerOptions = {}): SessionTracker {
  const registry = createSessionRegistry({
    idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000,
    maxAgeMs: options.maxAgeMs ?? 24 * 60 * 60_000,
    maxSessions: options.maxSessions ?? 10_000,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const sha256 = memoized(options.sha256 ?? nodeSha256);
  // Native SHA-256 for the content hash: about 7x faster than the default FNV-1a on a
  // 20 KB system prompt (measured ~140 µs vs ~1 ms). The headers are node's (lower-case
  // names): no case-insensitive search. One options object for every request.
  const deriveOptions = { hash: sha256, lowerCaseHeaders: true };
  const bySource: Partial<Record<SessionKeySource, number>> = {};
  let seen = 0;

  return {
    registry,
    identify(input) {
      const derived = deriveSessionKey(input, deriveOptions);
      if (derived === undefined) return undefined;
      bySource[derived.source] = (bySource[derived.source] ?? 0) + 1;
      // A content hash is already a SHA-256 of the conversation's text: hashing it again would
      // only cost time. Any other key is a client-chosen id, hashed with its source so that
      // the raw id is never stored and ids from different fields cannot meet.
      const key =
        derived.source === "content-hash"
          ? derived.key.slice(0, 32)
          : sha256(`${derived.source}\u0000${derived.key}`).slice(0, 32);
      return { key, logKey: key.slice(0, 12), source: derived.source };
    },
    record(session, backend, result) {
      const usage: SessionUsage = {
        requests: 1,
        inputTokens: result.usage?.inputTokens ?? 0,
        outputTokens: result.usage?.outputTokens ?? 0,
        backend,
      };
      if (result.target !== undefined) usage.target = result.target;
      // One registry lookup a request: a session this request started (new, or back after it
      // expired) holds just this one request afterwards.
      if (registry.recordCount(session.key, usage) === 1) seen += 1;
    },
    withdraw(session) {
      const count = bySource[session.source] ?? 0;
      // Back to how it was: a source no request was counted for is absent.
      if (count > 1) bySource[session.source] = count - 1;
      else delete bySource[session.source];
    },
    status() {
      // Expiry is lazy: drop idle and old sessions so `active` counts only live ones.
      registry.sweep();
      const snapshot = registry.snapshot();
      const recent = [...snapshot.sessions]
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
        .slice(0, 10)
        .map((s) => ({
          key: s.key.slice(0, 12),
          requests: s.requests,
          inputTokens: s.inputTokens,
          outputTokens: s.outputTokens,
          ...(s.lastBackend === undefined ? {} : { backend: s.lastBackend }),
          ...(s.lastTarget === undefined ? {} : { target: s.lastTarget }),
          lastSeenAt: s.lastSeenAt,
        }));
      return { active: registry.size, seen, bySource: { ...bySource }, recent };
    },
  };
}
