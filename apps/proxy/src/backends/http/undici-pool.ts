import { createRequire } from "node:module";
import type { Pool as UndiciPool } from "undici";

/**
 * undici's `Pool`, loaded on its own. The package's index also loads fetch, WebSocket,
 * EventSource, the mock agents and the cache interceptors: about 130 ms and 20 MB of RSS at
 * start, none of which the proxy uses. `undici/lib/dispatcher/pool.js` is the module the
 * index re-exports as `Pool` (undici 7 has no `exports` map); `undici-pool.test.ts` checks it
 * is the same class, so an undici upgrade that moves it fails the tests, not the proxy.
 */
export const Pool: typeof UndiciPool = createRequire(import.meta.url)(
  "undici/lib/dispatcher/pool.js",
);
export type Pool = UndiciPool;
