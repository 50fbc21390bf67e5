import { createRequire } from "node:module";
import type { Dispatcher, Pool as UndiciPool } from "undici";

/**
 * undici's `Pool`, loaded on its own. The package's index also loads fetch, WebSocket,
 * EventSource, the mock agents and the cache interceptors: about 130 ms and 20 MB of RSS at
 * start, none of which switchyard uses. `undici/lib/dispatcher/pool.js` is the module the
 * index re-exports as `Pool` (undici 7 has no `exports` map); `undici.test.ts` checks it is
 * the same class and `requestOnce` works without the index, so an undici upgrade that moves
 * either fails the tests, not the CLI.
 */
const load = createRequire(import.meta.url);
export const Pool: typeof UndiciPool = load("undici/lib/dispatcher/pool.js");
export type Pool = UndiciPool;

/** `Dispatcher.prototype.request`, which only the index attaches to the dispatchers. */
const apiRequest: (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData> = load("undici/lib/api/api-request.js");

/** The options {@link requestOnce} takes: undici's, minus what the URL gives. */
export type RequestOnceOptions = Omit<Dispatcher.RequestOptions, "origin" | "path">;

/**
 * One request on a connection of its own, for the CLI's short calls (`status`, `doctor`,
 * `resume`): undici's top-level `request(url, options)` without loading its index. The
 * connection closes once the body has been read (or dropped) or the request failed.
 */
export async function requestOnce(
  url: string,
  options: RequestOnceOptions,
): Promise<Dispatcher.ResponseData> {
  const { origin, pathname, search } = new URL(url);
  const pool = new Pool(origin, { connections: 1 });
  try {
    const response = await apiRequest.call(pool, { ...options, origin, path: pathname + search });
    // A graceful close waits for this request's body to end. Its own failure (the pool was
    // already destroyed) is no concern of the caller's, and must not become an unhandled
    // rejection.
    pool.close().catch(() => {});
    return response;
  } catch (error) {
    pool.destroy().catch(() => {});
    throw error;
  }
}
