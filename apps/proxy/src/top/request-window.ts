import type { RequestLogEntry } from "../server/request-log.js";
import { finishedAt } from "./live-overview.js";

/**
 * The requests `switchyard top` has seen in the last `keepMs`, by id: each refresh brings the
 * proxy's last few hundred, most of them already seen, so rates over a longer window than the
 * proxy's ring survive a busy minute.
 */
export interface RequestWindow {
  /** Adds the entries not seen yet; returns how many were new. */
  add(entries: readonly RequestLogEntry[]): number;
  /** Drops what finished before `now - keepMs`. */
  prune(now: number): void;
  /** Every kept entry, in arrival order. */
  all(): RequestLogEntry[];
  /** The last `n` entries, newest first. */
  latest(n: number): RequestLogEntry[];
}

/** Creates a {@link RequestWindow}; `max` bounds memory whatever the rate. */
export function createRequestWindow(options: { keepMs: number; max?: number }): RequestWindow {
  const { keepMs, max = 20_000 } = options;
  const byId = new Map<string, RequestLogEntry>();
  return {
    add(entries) {
      let added = 0;
      for (const e of entries) {
        if (typeof e?.id !== "string" || byId.has(e.id)) continue;
        byId.set(e.id, e);
        added++;
      }
      // A Map iterates in insertion order: the oldest go first.
      for (const id of byId.keys()) {
        if (byId.size <= max) break;
        byId.delete(id);
      }
      return added;
    },
    prune(now) {
      for (const [id, e] of byId) {
        if (finishedAt(e) < now - keepMs) byId.delete(id);
      }
    },
    all: () => [...byId.values()],
    latest(n) {
      const all = [...byId.values()];
      return all.slice(Math.max(0, all.length - n)).reverse();
    },
  };
}
