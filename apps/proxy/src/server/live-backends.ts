import { isDeepStrictEqual } from "node:util";
import {
  type BackendFactory,
  backendFactories,
  createBackend,
} from "../backends/create-backends.js";
import { createEchoBackend } from "../backends/echo/echo-backend.js";
import type { Backend, BackendContext, BackendResult } from "../backends/types.js";
import type { BackendConfig, ResolvedConfig } from "../config/types.js";

/** How one backend fared in a reload. */
export interface BackendChanges {
  added: string[];
  /** Same name, different entry (or key, or timeouts): rebuilt; requests in flight finish on the old one. */
  changed: string[];
  removed: string[];
  /** Same name, same entry: the same object serves on, with its pool, sessions and caches. */
  kept: string[];
}

/** One configured backend as built, with what it was built from. */
interface Built {
  backend: Backend;
  /** The resolved entry (keys included, held in memory only), its timeouts and why it cannot serve. */
  source: { config: BackendConfig | undefined; timeouts: unknown; unavailable: string | undefined };
  inFlight: number;
  retired: boolean;
  closing?: Promise<void>;
}

/** The live backend objects across reloads. */
export interface LiveBackends {
  /**
   * Builds the backends of `config`, reusing every one whose entry is unchanged. Nothing
   * changes until {@link commit}; a factory that throws leaves everything as it was.
   */
  prepare(config: ResolvedConfig): PreparedBackends;
  /** Closes every backend (current and retired), after shutdown drained the requests. */
  closeAll(): Promise<void>;
}

/** A built, not yet serving, set of backends. */
export interface PreparedBackends {
  /** Name → backend; each `handle` counts its requests in flight. */
  backends: Map<string, Backend>;
  changes: BackendChanges;
  /** Makes this set the current one; retired backends close once their requests finished. */
  commit(): void;
  /** Drops what was built for nothing (the reload failed after building). */
  discard(): void;
}

/** Options of {@link createLiveBackends}. */
export interface LiveBackendsOptions {
  context: Omit<BackendContext, "timeouts">;
  factories?: Partial<Record<BackendConfig["type"], BackendFactory>>;
}

/**
 * Keeps the backends across config reloads: a backend whose resolved entry did not change is
 * the same object after a reload (pool headroom, cooldowns, sessions and caches survive); a
 * removed or replaced one stops taking new requests at once and is closed (undici pools,
 * child processes) once the requests it is serving have finished.
 */
export function createLiveBackends(options: LiveBackendsOptions): LiveBackends {
  const factories = { ...backendFactories, ...options.factories };
  let current = new Map<string, Built>();
  const retiring = new Set<Built>();

  const close = (built: Built): Promise<void> => {
    built.closing ??= (async () => {
      retiring.delete(built);
      await built.backend.close?.().catch(() => {});
    })();
    return built.closing;
  };

  const track = (backend: Backend, source: Built["source"]): Built => {
    const built: Built = { backend, source, inFlight: 0, retired: false };
    const counted: Backend = Object.create(backend);
    const settled = () => {
      built.inFlight -= 1;
      if (built.retired && built.inFlight === 0) void close(built);
    };
    // Not an async wrapper: the caller gets the backend's own promise, and the count drops in a
    // reaction registered before the caller's (one promise and one suspended frame fewer a
    // request, same order).
    counted.handle = (request) => {
      built.inFlight += 1;
      let result: Promise<BackendResult>;
      try {
        result = Promise.resolve(backend.handle(request));
      } catch (error) {
        settled();
        return Promise.reject(error);
      }
      result.then(settled, settled);
      return result;
    };
    built.backend = counted;
    return built;
  };

  return {
    prepare(config) {
      const next = new Map<string, Built>();
      const fresh: Built[] = [];
      const changes: BackendChanges = { added: [], changed: [], removed: [], kept: [] };
      const unavailable = config.unavailableBackends ?? {};
      const sourceOf = (name: string): Built["source"] => ({
        config: config.backends[name],
        timeouts: config.timeouts,
        unavailable: unavailable[name],
      });
      const context = { ...options.context, timeouts: config.timeouts };
      try {
        for (const [name, entry] of Object.entries(config.backends)) {
          const old = current.get(name);
          if (old !== undefined && isDeepStrictEqual(old.source, sourceOf(name))) {
            next.set(name, old);
            changes.kept.push(name);
            continue;
          }
          const backend = createBackend({
            name,
            config: entry,
            context,
            factories,
            unavailable: unavailable[name],
          });
          // A type missing from this build is not served (createBackend said so).
          if (backend === undefined) continue;
          const built = track(backend, sourceOf(name));
          fresh.push(built);
          next.set(name, built);
          (old === undefined ? changes.added : changes.changed).push(name);
        }
      } catch (error) {
        for (const built of fresh) void close(built);
        throw error;
      }
      // `echo` is always served, configured or not.
      if (!next.has("echo")) {
        const old = current.get("echo");
        const echo = old ?? track(createEchoBackend("echo"), sourceOf("echo"));
        next.set("echo", echo);
      }
      for (const name of current.keys()) if (!next.has(name)) changes.removed.push(name);
      let settled = false;
      return {
        backends: new Map([...next].map(([name, entry]) => [name, entry.backend])),
        changes,
        commit() {
          if (settled) return;
          settled = true;
          const kept = new Set(next.values());
          for (const old of current.values()) {
            if (kept.has(old)) continue;
            old.retired = true;
            retiring.add(old);
            if (old.inFlight === 0) void close(old);
          }
          current = next;
        },
        discard() {
          if (settled) return;
          settled = true;
          for (const entry of fresh) void close(entry);
        },
      };
    },
    async closeAll() {
      await Promise.all([...current.values(), ...retiring].map(close));
    },
  };
}
