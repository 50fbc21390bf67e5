import { join } from "node:path";
import {
  createFileTokenStore,
  createMemoryTokenStore,
  createOAuthClient,
  type FetchLike,
  type OAuthClient,
  OAuthError,
  type TokenStatus,
} from "@switchyard/oauth";
import { ProxyError } from "../server/proxy-error.js";
import type { OidcAuthConfig } from "./oidc-config.js";

/** File (in the switchyard home) where signed-in backends keep their OIDC tokens. */
export const OAUTH_TOKENS_FILE = "oauth-tokens.json";

/** What a backend needs to send `Authorization: Bearer …`: a token, and a renewal after a 401. */
export interface BearerAuth {
  accessToken(): Promise<string>;
  unauthorized(rejected: string): Promise<string>;
  /** Signed-in state and expiry, never a token. */
  status(): Promise<BackendAuthStatus>;
}

/** What `/status`, `doctor` and the MCP `backends` tool show of a backend's sign-in. */
export interface BackendAuthStatus extends TokenStatus {
  type: "oidc";
  flow: NonNullable<OidcAuthConfig["flow"]>;
}

/** The OAuth client of one backend, with its tokens in `<home>/oauth-tokens.json`. */
export function createBackendOAuthClient(options: {
  name: string;
  auth: OidcAuthConfig;
  home: string;
  fetch?: FetchLike;
  openBrowser?: (url: string) => Promise<void> | void;
}): OAuthClient {
  const { name, auth, home } = options;
  const flow = auth.flow ?? "pkce";
  return createOAuthClient({
    issuer: auth.issuer,
    clientId: auth.clientId,
    ...(auth.clientSecret === undefined ? {} : { clientSecret: auth.clientSecret }),
    scopes: auth.scopes ?? [],
    flow,
    key: name,
    // A service principal's tokens are cheap to fetch again: they never touch the disk.
    store:
      flow === "client_credentials"
        ? createMemoryTokenStore()
        : createFileTokenStore({ path: join(home, OAUTH_TOKENS_FILE) }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.openBrowser === undefined ? {} : { openBrowser: options.openBrowser }),
  });
}

/** Turns an OAuth failure into what the client of the proxy sees (never a token). */
function toProxyError(name: string, error: unknown): unknown {
  if (!OAuthError.isInstance(error)) return error;
  if (error.code === "login_required") {
    return new ProxyError(
      "backend_unavailable",
      `backend ${name} is not signed in (or its sign-in expired); run \`switchyard login ${name}\``,
      { cause: error },
    );
  }
  return new ProxyError(
    error.isRetryable ? "upstream_unreachable" : "backend_unavailable",
    `backend ${name}: ${error.message}`,
    { cause: error },
  );
}

/** The bearer auth the proxy uses for one OIDC backend. */
export function createBackendAuth(options: {
  name: string;
  auth: OidcAuthConfig;
  home: string;
  fetch?: FetchLike;
}): BearerAuth & { client: OAuthClient } {
  const { name, auth } = options;
  const client = createBackendOAuthClient(options);
  const wrap = async (get: () => Promise<string>) => {
    try {
      return await get();
    } catch (error) {
      throw toProxyError(name, error);
    }
  };
  return {
    client,
    accessToken: () => wrap(() => client.accessToken()),
    unauthorized: (rejected) => wrap(() => client.unauthorized(rejected)),
    async status() {
      const flow = auth.flow ?? "pkce";
      return { type: "oidc", flow, ...(await client.status()) };
    },
  };
}
