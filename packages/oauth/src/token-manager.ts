import { OAuthError } from "./oauth-error.js";
import { describeTokenSet, type TokenSet, type TokenStatus } from "./token-set.js";
import type { TokenStore } from "./token-store.js";

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  /** The store key (e.g. the backend name). */
  key: string;
  store: TokenStore;
  /**
   * Gets new tokens from the current ones (a refresh grant), or from nothing (client
   * credentials). Throws `login_required` when only the user can help.
   */
  renew: (current: TokenSet | undefined) => Promise<TokenSet>;
  now?: () => number;
  /** Renew this long before expiry (at most half the token's lifetime), so a token does not expire on the way. Default 60000. */
  refreshSkewMs?: number;
}

/** Hands out a valid access token, renewing it at most once at a time. */
export interface TokenManager {
  /** A valid access token: the cached one, or a renewed one when it expires within the skew. */
  accessToken(): Promise<string>;
  /**
   * The upstream refused `rejected` (401): renew once, unless another caller already did,
   * and return the token to retry with.
   */
  unauthorized(rejected: string): Promise<string>;
  /** Signed-in state and expiry, never a token. */
  status(): Promise<TokenStatus>;
  /** Forgets the cached tokens (after logout or a new login elsewhere). */
  reset(): void;
  /** How many renewals ran (single-flight shows here). */
  readonly renewals: number;
}

/**
 * Keeps one key's tokens: cached in memory, renewed before expiry and once on a 401, with every
 * concurrent caller sharing one renewal (single-flight: 100 requests at expiry cause one
 * refresh). A rotated refresh token is written to the store before anyone uses the new access
 * token. Before renewing it re-reads the store, so a login by another process is picked up.
 * @example
 * const manager = createTokenManager({ key: "gateway", store, renew: (t) => refreshTokens(ctx, t!) });
 * const token = await manager.accessToken();
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { key, store, renew, now = Date.now, refreshSkewMs = 60_000 } = options;
  let cached: TokenSet | undefined;
  let loaded = false;
  let inflight: Promise<TokenSet> | undefined;
  let renewals = 0;

  /** Valid for longer than the skew (at most half its lifetime, so short tokens still serve). */
  const fresh = (t: TokenSet | undefined): boolean => {
    if (t === undefined) return false;
    if (t.expiresAt === undefined) return true;
    const lifetime = t.obtainedAt === undefined ? Infinity : t.expiresAt - t.obtainedAt;
    return t.expiresAt - Math.min(refreshSkewMs, lifetime / 2) > now();
  };

  const load = async () => {
    if (!loaded) {
      cached = await store.get(key);
      loaded = true;
    }
    return cached;
  };

  /** One renewal at a time; `force` renews even a token that looks fresh (after a 401). */
  const renewOnce = (rejected?: string): Promise<TokenSet> => {
    inflight ??= (async () => {
      try {
        // Another process (a `login`, another proxy) may have stored newer tokens.
        const stored = await store.get(key);
        if (stored !== undefined && stored.accessToken !== rejected && fresh(stored)) {
          if (stored.accessToken !== cached?.accessToken) {
            cached = stored;
            return stored;
          }
        }
        const base = stored ?? cached;
        renewals += 1;
        const next = await renew(base);
        await store.set(key, next);
        cached = next;
        return next;
      } catch (error) {
        if (OAuthError.isInstance(error) && error.code === "login_required") {
          cached = undefined;
          loaded = false;
        }
        throw error;
      }
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    async accessToken() {
      const current = await load();
      if (current !== undefined && fresh(current)) return current.accessToken;
      return (await renewOnce(current?.accessToken)).accessToken;
    },
    async unauthorized(rejected) {
      const current = await load();
      if (current !== undefined && current.accessToken !== rejected && fresh(current)) {
        return current.accessToken;
      }
      if (inflight !== undefined) return (await inflight).accessToken;
      return (await renewOnce(rejected)).accessToken;
    },
    async status() {
      return describeTokenSet(await store.get(key));
    },
    reset() {
      cached = undefined;
      loaded = false;
    },
    get renewals() {
      return renewals;
    },
  };
}
