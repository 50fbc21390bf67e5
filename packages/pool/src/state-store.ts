import { PoolError } from "./pool-error.js";
import type { TargetState } from "./state.js";

/**
 * Where a pool keeps its state. Synchronous so selection stays on the hot path without
 * awaiting; the pool calls `setTarget` after every change, so a store may persist or
 * replicate on write. The in-memory store returns the object it was given.
 */
export interface PoolStateStore {
  getTarget(id: string): TargetState | undefined;
  setTarget(id: string, state: TargetState): void;
  /** Target id a sticky key is bound to. */
  getBinding(key: string): string | undefined;
  setBinding(key: string, targetId: string): void;
  deleteBinding(key: string): void;
  /** Number of sticky bindings held. */
  bindingCount(): number;
}

/** Options of `createMemoryStateStore`. */
export interface MemoryStateStoreOptions {
  /** Most sticky bindings kept; the least recently bound is dropped beyond it. Default 10000. */
  maxBindings?: number;
}

/** The default `PoolStateStore`: two `Map`s, bindings capped LRU-style. */
export function createMemoryStateStore(options: MemoryStateStoreOptions = {}): PoolStateStore {
  const { maxBindings = 10_000 } = options;
  // NaN would keep every binding for ever; 0 or less none (sticky routing silently off).
  if (!Number.isInteger(maxBindings) || maxBindings < 1) {
    throw new PoolError("invalid-option", "maxBindings must be an integer >= 1");
  }
  const targets = new Map<string, TargetState>();
  const bindings = new Map<string, string>();
  // The most recently bound key: re-binding it to the same target changes nothing, so the
  // delete + set (and the hash-table churn it causes) is skipped for back-to-back requests
  // of one conversation.
  let newestKey: string | undefined;
  return {
    getTarget: (id) => targets.get(id),
    setTarget(id, state) {
      targets.set(id, state);
    },
    getBinding: (key) => bindings.get(key),
    setBinding(key, targetId) {
      if (key === newestKey && bindings.get(key) === targetId) return;
      newestKey = key;
      bindings.delete(key);
      bindings.set(key, targetId);
      if (bindings.size > maxBindings) {
        bindings.delete(bindings.keys().next().value as string);
      }
    },
    deleteBinding(key) {
      if (key === newestKey) newestKey = undefined;
      bindings.delete(key);
    },
    bindingCount: () => bindings.size,
  };
}
