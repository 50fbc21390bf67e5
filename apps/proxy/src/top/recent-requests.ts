import type { RequestLogEntry } from "../server/request-log.js";

/**
 * The last `max` API requests `switchyard top` has seen, by id. The proxy's ring of recent
 * requests also holds every admin call (`top`'s own polls, a dashboard's), so a quiet minute
 * pushes the last real requests out of it; the table keeps showing them.
 */
export interface RecentRequests {
  /** Adds the entries not seen yet (oldest first, as `GET /requests` lists them). */
  add(entries: readonly RequestLogEntry[]): void;
  /** Newest first. */
  list(): RequestLogEntry[];
}

/** Creates a {@link RecentRequests} holding at most `max` entries. */
export function createRecentRequests(max = 500): RecentRequests {
  const byId = new Map<string, RequestLogEntry>();
  return {
    add(entries) {
      for (const e of entries) {
        if (typeof e?.id === "string" && !byId.has(e.id)) byId.set(e.id, e);
      }
      // A Map iterates in insertion order: the oldest go first.
      for (const id of byId.keys()) {
        if (byId.size <= max) break;
        byId.delete(id);
      }
    },
    list: () => [...byId.values()].reverse(),
  };
}
