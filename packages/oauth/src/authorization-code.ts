import * as oauth from "oauth4webapi";
import type { ServerContext } from "./internal/context.js";
import { toOAuthError } from "./internal/map-error.js";
import { OAuthError } from "./oauth-error.js";
import { createPkcePair } from "./pkce.js";
import { type TokenSet, tokenSetFromResponse } from "./token-set.js";

/** An authorization request ready to open, with what its answer must be checked against. */
export interface AuthorizationRequest {
  /** The URL to open in a browser. */
  url: URL;
  redirectUri: string;
  state: string;
  /** Secret until the code exchange: never log it. */
  codeVerifier: string;
}

/** Builds an authorization code request with PKCE S256 and a fresh `state`. */
export async function createAuthorizationRequest(
  context: ServerContext,
  options: { redirectUri: string; extraParams?: Record<string, string> },
): Promise<AuthorizationRequest> {
  const server = await context.server();
  if (server.authorization_endpoint === undefined) {
    throw new OAuthError({
      code: "invalid_response",
      message: `${server.issuer} has no authorization_endpoint`,
    });
  }
  const pkce = await createPkcePair();
  const url = new URL(server.authorization_endpoint);
  const params: Record<string, string> = {
    ...options.extraParams,
    client_id: context.client.client_id,
    redirect_uri: options.redirectUri,
    response_type: "code",
    code_challenge: pkce.codeChallenge,
    code_challenge_method: pkce.codeChallengeMethod,
    state: pkce.state,
  };
  if (context.scopes.length > 0) params.scope = context.scopes.join(" ");
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return {
    url,
    redirectUri: options.redirectUri,
    state: pkce.state,
    codeVerifier: pkce.codeVerifier,
  };
}

/**
 * Checks an authorization response (the redirect URL, or its query) against the request
 * (`state`, `iss` where the server sends it, error answers) and exchanges the code.
 * `state: "skip"` is for a pasted bare code, where there is no `state` to check: PKCE still
 * binds the code to this client (RFC 9700 §2.1.1).
 */
export async function exchangeAuthorizationCode(
  context: ServerContext,
  options: {
    response: URL | URLSearchParams;
    request: Pick<AuthorizationRequest, "redirectUri" | "codeVerifier"> & {
      state: string | "skip";
    };
  },
): Promise<TokenSet> {
  const { response, request } = options;
  const server = await context.server();
  const params = new URLSearchParams(response instanceof URL ? response.searchParams : response);
  if (
    request.state === "skip" &&
    !params.has("iss") &&
    server.authorization_response_iss_parameter_supported
  ) {
    // A pasted bare code carries no `iss` (RFC 9207); this client talks to one issuer only,
    // so the mix-up it guards against cannot happen here.
    params.set("iss", server.issuer);
  }
  const sentState = params.get("state");
  if (request.state !== "skip" && sentState !== request.state) {
    throw new OAuthError({
      code: "state_mismatch",
      message:
        "the sign-in response does not belong to this sign-in (state mismatch); start the sign-in again",
    });
  }
  let callback: URLSearchParams;
  try {
    callback = oauth.validateAuthResponse(
      server,
      context.client,
      params,
      request.state === "skip" ? oauth.skipStateCheck : request.state,
    );
  } catch (error) {
    throw toOAuthError(error, "sign-in");
  }
  try {
    const answer = await oauth.authorizationCodeGrantRequest(
      server,
      context.client,
      context.clientAuth,
      callback,
      request.redirectUri,
      request.codeVerifier,
      context.http(),
    );
    const tokens = await oauth.processAuthorizationCodeResponse(server, context.client, answer);
    return tokenSetFromResponse(tokens, context.now());
  } catch (error) {
    throw toOAuthError(error, "code exchange");
  }
}
