import * as oauth from "oauth4webapi";
import { OAuthError } from "../oauth-error.js";
import { toOAuthError } from "./map-error.js";

/** A `fetch` with the standard signature (injectable; tests pass their own). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** What every flow needs to talk to one authorization server as one client. */
export interface ServerContext {
  /** The authorization server's metadata (discovered once, then cached). */
  server(): Promise<oauth.AuthorizationServer>;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  /** Transport options for every oauth4webapi request. */
  http(): oauth.HttpRequestOptions<"GET" | "POST", URLSearchParams | undefined>;
  scopes: readonly string[];
  now: () => number;
}

/** Options of {@link createServerContext}. */
export interface ServerContextOptions {
  issuer: string | URL;
  /** Server metadata to use instead of discovery (e.g. a provider without a metadata document). */
  metadata?: oauth.AuthorizationServer;
  clientId: string;
  clientSecret?: string;
  clientAuthMethod?: "client_secret_post" | "client_secret_basic" | "none";
  scopes?: readonly string[];
  fetch?: FetchLike;
  now?: () => number;
  timeoutMs?: number;
  /** `oidc` (`/.well-known/openid-configuration`) or `oauth2` (RFC 8414). Default: try `oidc`, then `oauth2`. */
  discovery?: "oidc" | "oauth2";
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True for an http URL on this machine (tests and local gateways); https is required elsewhere. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/** Builds the per-server context; discovery happens on first use and is cached (a failure is not). */
export function createServerContext(options: ServerContextOptions): ServerContext {
  const issuer = new URL(options.issuer);
  const { fetch: fetchImpl, timeoutMs = 30_000, now = Date.now } = options;
  const insecure = isLoopbackHttp(issuer);
  const http = () => ({
    signal: AbortSignal.timeout(timeoutMs),
    ...(fetchImpl === undefined
      ? {}
      : {
          [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) =>
            fetchImpl(url, init as RequestInit),
        }),
    // Plain http only to this machine (RFC 9700 §2.6: TLS everywhere else).
    ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}),
  });

  let discovered: Promise<oauth.AuthorizationServer> | undefined = options.metadata
    ? Promise.resolve(options.metadata)
    : undefined;
  const server = () => {
    discovered ??= discover(issuer, http, options.discovery).catch((error) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };

  const secret = options.clientSecret;
  const method = options.clientAuthMethod ?? (secret ? "client_secret_basic" : "none");
  if (method !== "none" && !secret) {
    throw new OAuthError({
      code: "invalid_input",
      message: `client authentication ${method} needs a clientSecret`,
    });
  }
  const clientAuth =
    method === "none"
      ? oauth.None()
      : method === "client_secret_post"
        ? oauth.ClientSecretPost(secret!)
        : oauth.ClientSecretBasic(secret!);

  return {
    server,
    client: { client_id: options.clientId },
    clientAuth,
    http,
    scopes: options.scopes ?? [],
    now,
  };
}

async function discover(
  issuer: URL,
  http: () => oauth.HttpRequestOptions<"GET">,
  algorithm: "oidc" | "oauth2" | undefined,
): Promise<oauth.AuthorizationServer> {
  const tryOne = async (alg: "oidc" | "oauth2") => {
    const response = await oauth.discoveryRequest(issuer, { ...http(), algorithm: alg });
    return oauth.processDiscoveryResponse(issuer, response);
  };
  try {
    if (algorithm !== undefined) return await tryOne(algorithm);
    try {
      return await tryOne("oidc");
    } catch (error) {
      // No OIDC document: try the RFC 8414 one before giving up.
      if (toOAuthError(error, "discovery").isRetryable) throw error;
      return await tryOne("oauth2");
    }
  } catch (error) {
    throw toOAuthError(error, `discovery of ${issuer.href}`);
  }
}
