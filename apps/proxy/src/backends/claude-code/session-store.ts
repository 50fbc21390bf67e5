import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  createSessionRegistry,
  type SessionRegistry,
  type SessionUsage,
} from "@switchyard/session";
import { writeFileAtomic } from "../../config/atomic-write.js";

/** File name of the conversation → Claude Code session map under the switchyard home. */
export const CLAUDE_SESSIONS_FILE = "claude-code-sessions.json";

/** One message as the fingerprint sees it. */
export interface FingerprintMessage {
  role: string;
  content: unknown;
}

/** A non-text block's identity; "" for blocks that do not identify a turn. */
function blockKey(block: unknown): string {
  if (typeof block !== "object" || block === null) return "";
  const b = block as { type?: unknown };
  // Thinking is often dropped or re-signed by clients between turns: it does not identify a turn.
  if (b.type === "thinking" || b.type === "redacted_thinking" || b.type === "text") return "";
  const { cache_control: _ignored, ...rest } = block as Record<string, unknown>;
  return JSON.stringify(rest);
}

/**
 * What a message contributes to a fingerprint: its text (all text parts joined, trimmed, so
 * blocks and a plain string agree, as OpenAI clients send answers back) and its other blocks.
 */
function messageKey(message: FingerprintMessage): string {
  const blocks = Array.isArray(message.content) ? message.content : [message.content];
  let text = "";
  const others: string[] = [];
  for (const block of blocks) {
    if (typeof block === "string") text += block;
    else if ((block as { type?: unknown })?.type === "text") {
      const t = (block as { text?: unknown }).text;
      if (typeof t === "string") text += t;
    } else {
      const key = blockKey(block);
      if (key.length > 0) others.push(key);
    }
  }
  return `${message.role}\u0000${text.trim()}\u0001${others.join("\u0001")}`;
}

/**
 * A conversation fingerprint: a hash of the system prompt and the messages so far. Text is
 * trimmed and thinking ignored, so a client that re-sends an answer as a string instead of
 * blocks (or without its thinking) still matches.
 */
export function fingerprintConversation(
  system: string,
  messages: readonly FingerprintMessage[],
): string {
  const hash = createHash("sha256");
  hash.update(`s\u0000${system.trim()}\u0002`);
  for (const message of messages) hash.update(`${messageKey(message)}\u0002`);
  return hash.digest("hex");
}

/** Options for {@link createClaudeSessionStore}. */
export interface ClaudeSessionStoreOptions {
  /** Map file; default `<home>/claude-code-sessions.json`. */
  path?: string;
  home?: string;
  /** A conversation untouched this long is forgotten. Default 7 days. */
  idleTimeoutMs?: number;
  /** Most conversations remembered. Default 5000. */
  maxSessions?: number;
  now?: () => number;
}

/** Conversation fingerprint → Claude Code session id, persisted across proxy restarts. */
export interface ClaudeSessionStore {
  readonly path: string;
  /** Loads the file (missing or corrupt file: start empty). */
  load(): Promise<void>;
  /** The CLI session id for a conversation fingerprint. */
  lookup(fingerprint: string): string | undefined;
  /**
   * Remembers that `fingerprint` continues in CLI session `sessionId` (and counts usage), with
   * any backend-specific `extra` data, then persists.
   */
  remember(
    fingerprint: string,
    sessionId: string,
    usage?: SessionUsage,
    extra?: Record<string, unknown>,
  ): Promise<void>;
  /** Forgets a fingerprint (its CLI session is gone). */
  forget(fingerprint: string): void;
  /** The data stored with a fingerprint (`extra` of {@link remember}), if it is known. */
  data(fingerprint: string): Record<string, unknown> | undefined;
  /** The underlying registry (for status output). */
  readonly registry: SessionRegistry;
}

/**
 * A view of a shared store whose keys are scoped to one backend: backends may run different
 * binaries, homes or cwds, and a CLI session of one is not found by another.
 */
export function scopedSessionStore(store: ClaudeSessionStore, backend: string): ClaudeSessionStore {
  const scoped = (fingerprint: string) => `${backend}\u0000${fingerprint}`;
  return {
    path: store.path,
    registry: store.registry,
    load: () => store.load(),
    lookup: (fingerprint) => store.lookup(scoped(fingerprint)),
    data: (fingerprint) => store.data(scoped(fingerprint)),
    remember: (fingerprint, ...rest) => store.remember(scoped(fingerprint), ...rest),
    forget: (fingerprint) => store.forget(scoped(fingerprint)),
  };
}

/** The stores of this process by file, with how many backends hold each. */
const openStores = new Map<string, { store: ClaudeSessionStore; users: number }>();

/**
 * The {@link ClaudeSessionStore} of a map file, shared by every `claude-code` backend of the
 * process that uses it: two stores on one file would each rewrite it from their own memory
 * and drop the other's conversations. `release()` when the backend closes; the last release
 * forgets the store, so a restarted server reads the file again.
 */
export function sharedClaudeSessionStore(options: ClaudeSessionStoreOptions): {
  store: ClaudeSessionStore;
  release(): void;
} {
  const path = resolve(options.path ?? join(options.home ?? ".", CLAUDE_SESSIONS_FILE));
  let open = openStores.get(path);
  if (open === undefined) {
    const own = createClaudeSessionStore({ ...options, path });
    // Loaded once: a second backend's load must not overwrite what the first one learned.
    let loaded: Promise<void> | undefined;
    const store: ClaudeSessionStore = {
      ...own,
      load: () => {
        loaded ??= own.load().catch((error: unknown) => {
          loaded = undefined;
          throw error;
        });
        return loaded;
      },
    };
    open = { store, users: 0 };
    openStores.set(path, open);
  }
  const held = open;
  held.users++;
  let released = false;
  return {
    store: held.store,
    release() {
      if (released) return;
      released = true;
      held.users--;
      if (held.users === 0 && openStores.get(path) === held) openStores.delete(path);
    },
  };
}

/** Creates a {@link ClaudeSessionStore} on a `@switchyard/session` registry. */
export function createClaudeSessionStore(options: ClaudeSessionStoreOptions): ClaudeSessionStore {
  const path = options.path ?? join(options.home ?? ".", CLAUDE_SESSIONS_FILE);
  const registry = createSessionRegistry({
    idleTimeoutMs: options.idleTimeoutMs ?? 7 * 24 * 3_600_000,
    maxAgeMs: Number.POSITIVE_INFINITY,
    maxSessions: options.maxSessions ?? 5000,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  let writing: Promise<void> = Promise.resolve();
  const persist = () => {
    const text = `${JSON.stringify(registry.export())}\n`;
    writing = writing.then(() => writeFileAtomic(path, text, { mode: 0o600 })).catch(() => {});
    return writing;
  };
  return {
    path,
    registry,
    async load() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch {
        return;
      }
      try {
        registry.import(JSON.parse(text));
        registry.sweep();
      } catch {
        // A corrupt map only costs resumes: conversations are replayed in full instead.
      }
    },
    lookup(fingerprint) {
      const id = registry.get(fingerprint)?.data.claudeSessionId;
      return typeof id === "string" ? id : undefined;
    },
    data(fingerprint) {
      return registry.get(fingerprint)?.data;
    },
    forget(fingerprint) {
      registry.delete(fingerprint);
    },
    async remember(fingerprint, sessionId, usage, extra) {
      registry.setData(fingerprint, { ...extra, claudeSessionId: sessionId });
      if (usage !== undefined) registry.record(fingerprint, usage);
      await persist();
    },
  };
}
