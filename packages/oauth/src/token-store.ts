import type { TokenSet } from "./token-set.js";

/**
 * Where token sets live, by key (e.g. a backend name). Implementations keep tokens out of
 * logs and errors. {@link createMemoryTokenStore} and {@link createFileTokenStore} ship here;
 * an app may pass its own (an OS keychain, a secrets manager).
 */
export interface TokenStore {
  get(key: string): Promise<TokenSet | undefined>;
  set(key: string, tokens: TokenSet): Promise<void>;
  /** True when something was stored under `key`. */
  delete(key: string): Promise<boolean>;
  /** The keys that hold tokens (for status views). */
  keys(): Promise<string[]>;
}

/**
 * A token store in memory: for tests, and for client-credentials tokens that are cheap to
 * fetch again after a restart.
 * @example
 * const store = createMemoryTokenStore();
 */
export function createMemoryTokenStore(): TokenStore {
  const map = new Map<string, TokenSet>();
  return {
    async get(key) {
      const t = map.get(key);
      return t === undefined ? undefined : { ...t };
    },
    async set(key, tokens) {
      map.set(key, { ...tokens });
    },
    async delete(key) {
      return map.delete(key);
    },
    async keys() {
      return [...map.keys()];
    },
  };
}
