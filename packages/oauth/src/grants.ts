import * as oauth from "oauth4webapi";
import type { ServerContext } from "./internal/context.js";
import { toOAuthError } from "./internal/map-error.js";
import { OAuthError } from "./oauth-error.js";
import { type TokenSet, tokenSetFromResponse } from "./token-set.js";

/** Client credentials grant (RFC 6749 §4.4): a service principal's token, no user involved. */
export async function fetchClientCredentials(context: ServerContext): Promise<TokenSet> {
  const server = await context.server();
  try {
    const params = new URLSearchParams();
    if (context.scopes.length > 0) params.set("scope", context.scopes.join(" "));
    const answer = await oauth.clientCredentialsGrantRequest(
      server,
      context.client,
      context.clientAuth,
      params,
      context.http(),
    );
    const tokens = await oauth.processClientCredentialsResponse(server, context.client, answer);
    return tokenSetFromResponse(tokens, context.now());
  } catch (error) {
    throw toOAuthError(error, "client credentials");
  }
}

/**
 * Refresh grant (RFC 6749 §6). A rotated refresh token replaces the old one (RFC 9700
 * §4.14.2); `invalid_grant` (revoked, expired, reused) becomes `login_required`.
 */
export async function refreshTokens(context: ServerContext, tokens: TokenSet): Promise<TokenSet> {
  if (tokens.refreshToken === undefined) {
    throw new OAuthError({
      code: "login_required",
      message: "the access token expired and there is no refresh token; sign in again",
    });
  }
  const server = await context.server();
  try {
    const answer = await oauth.refreshTokenGrantRequest(
      server,
      context.client,
      context.clientAuth,
      tokens.refreshToken,
      context.http(),
    );
    const fresh = await oauth.processRefreshTokenResponse(server, context.client, answer);
    return tokenSetFromResponse(fresh, context.now(), tokens);
  } catch (error) {
    throw toOAuthError(error, "token refresh");
  }
}

/**
 * Revokes the grant at the server (RFC 7009) when it has a `revocation_endpoint`: the refresh
 * token when there is one (which ends the grant and, at most servers, its access tokens),
 * else the access token. Resolves false when the server offers no revocation or does not
 * revoke that kind of token (`unsupported_token_type`, e.g. self-contained JWTs).
 */
export async function revokeTokens(context: ServerContext, tokens: TokenSet): Promise<boolean> {
  const server = await context.server();
  if (server.revocation_endpoint === undefined) return false;
  const [token, hint] =
    tokens.refreshToken === undefined
      ? [tokens.accessToken, "access_token"]
      : [tokens.refreshToken, "refresh_token"];
  try {
    const answer = await oauth.revocationRequest(
      server,
      context.client,
      context.clientAuth,
      token,
      {
        ...context.http(),
        additionalParameters: { token_type_hint: hint },
      },
    );
    await oauth.processRevocationResponse(answer);
    return true;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError && error.error === "unsupported_token_type") {
      return false;
    }
    throw toOAuthError(error, "revocation");
  }
}
