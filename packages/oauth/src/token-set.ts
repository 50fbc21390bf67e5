import type { TokenEndpointResponse } from "oauth4webapi";

/**
 * Tokens from one sign-in. Treat every field but `expiresAt`, `scope` and `tokenType` as a
 * secret: never log it, never put it in an error.
 */
export interface TokenSet {
  accessToken: string;
  /** `bearer` (lower-case, as oauth4webapi normalises it). */
  tokenType: string;
  /** When the access token expires, in ms since the epoch; absent when the server did not say. */
  expiresAt?: number;
  /** When the tokens were issued (ms since the epoch), to renew short-lived tokens in time. */
  obtainedAt?: number;
  refreshToken?: string;
  scope?: string;
  idToken?: string;
}

/** What may be shown about a token set: never a token. */
export interface TokenStatus {
  signedIn: boolean;
  /** ISO time the access token expires, when known. */
  expiresAt?: string;
  /** True when a refresh token is held (the proxy can renew without the user). */
  refreshable: boolean;
  scope?: string;
}

/**
 * Builds a token set from a token endpoint answer. A rotated refresh token replaces the old
 * one; when the server sends none, the previous one is kept (RFC 6749 §6).
 */
export function tokenSetFromResponse(
  response: TokenEndpointResponse,
  now: number,
  previous?: TokenSet,
): TokenSet {
  const set: TokenSet = { accessToken: response.access_token, tokenType: response.token_type };
  if (typeof response.expires_in === "number") {
    set.expiresAt = now + response.expires_in * 1000;
    set.obtainedAt = now;
  }
  const refresh = response.refresh_token ?? previous?.refreshToken;
  if (refresh !== undefined) set.refreshToken = refresh;
  const scope = response.scope ?? previous?.scope;
  if (scope !== undefined) set.scope = scope;
  if (response.id_token !== undefined) set.idToken = response.id_token;
  return set;
}

/** The printable status of a token set (signed-in state and expiry, never a token). */
export function describeTokenSet(tokens: TokenSet | undefined): TokenStatus {
  if (tokens === undefined) return { signedIn: false, refreshable: false };
  return {
    signedIn: true,
    refreshable: tokens.refreshToken !== undefined,
    ...(tokens.expiresAt === undefined
      ? {}
      : { expiresAt: new Date(tokens.expiresAt).toISOString() }),
    ...(tokens.scope === undefined ? {} : { scope: tokens.scope }),
  };
}

/** True when `tokens` is a well-formed token set (e.g. read back from a file). */
export function isTokenSet(value: unknown): value is TokenSet {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === "string" &&
    v.accessToken !== "" &&
    typeof v.tokenType === "string" &&
    (v.expiresAt === undefined || typeof v.expiresAt === "number") &&
    (v.refreshToken === undefined || typeof v.refreshToken === "string")
  );
}
