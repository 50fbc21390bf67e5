import type { RequestLogEntry } from "../server/request-log.js";

/**
 * The last `max` API requests `switchyard top` has seen, by id (from the event stream, and
 * `GET /requests` on each (re)connect): the table keeps them however long the proxy's own
 * ring of 500 holds them.
 */
export interface RecentRequests {
  /** Adds the entries not seen yet (oldest first, as `GET /requests` lists them). */
  add(entries: readonly RequestLogEntry[]): void;
  /** Newest first. */
  list(): RequestLogEntry[];
}

/** Creates a {@link RecentRequests} holding at most `max` entries. */
export function createRecentRequests(max = 500): RecentRequests {
  let byId = new Map<string, RequestLogEntry>();
  // Entries come from the event stream and from `GET /requests` (filled after the stream
  // opened, so older ones can come after newer): kept in time order, oldest first.
  let last = "";
  let unordered = false;
  const order = () => {
    if (!unordered) return;
    byId = new Map(
      [...byId].sort(([, a], [, b]) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)),
    );
    unordered = false;
  };
  return {
    add(entries) {
      for (const e of entries) {
        if (typeof e?.id !== "string" || byId.has(e.id)) continue;
        byId.set(e.id, e);
        const time = typeof e.time === "string" ? e.time : "";
        if (time < last) unordered = true;
        else last = time;
      }
      order();
      // A Map iterates in insertion order: the oldest go first.
      for (const id of byId.keys()) {
        if (byId.size <= max) break;
        byId.delete(id);
      }
    },
    list: () => [...byId.values()].reverse(),
  };
}
