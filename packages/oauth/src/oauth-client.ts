import type { AuthorizationServer } from "oauth4webapi";
import { type DeviceLoginOptions, loginWithDevice } from "./device-login.js";
import { fetchClientCredentials, refreshTokens, revokeTokens } from "./grants.js";
import { createServerContext, type FetchLike, type ServerContext } from "./internal/context.js";
import { type LoopbackLoginOptions, loginWithLoopback } from "./loopback-login.js";
import { loginManually, type ManualLoginOptions } from "./manual-login.js";
import { OAuthError } from "./oauth-error.js";
import { createTokenManager, type TokenManager } from "./token-manager.js";
import type { TokenSet, TokenStatus } from "./token-set.js";
import { createMemoryTokenStore, type TokenStore } from "./token-store.js";

/** Which grant a client signs in with. */
export type OAuthFlow = "pkce" | "device" | "client_credentials";

/** Options of {@link createOAuthClient}. */
export interface OAuthClientOptions {
  /** The issuer URL; its metadata is discovered (OIDC, then RFC 8414) unless `metadata` is given. */
  issuer: string | URL;
  metadata?: AuthorizationServer;
  clientId: string;
  /** For confidential clients (client credentials, or a web client the admin registered). */
  clientSecret?: string;
  clientAuthMethod?: "client_secret_post" | "client_secret_basic" | "none";
  scopes?: readonly string[];
  /** Default `pkce`. */
  flow?: OAuthFlow;
  /** Where tokens are kept. Default: in memory. */
  store?: TokenStore;
  /** The store key. Default: the client id. */
  key?: string;
  /** Opens a URL in a browser (the app decides how; the library never spawns anything itself). */
  openBrowser?: (url: string) => Promise<void> | void;
  fetch?: FetchLike;
  now?: () => number;
  /** Renew this long before expiry. Default 60000. */
  refreshSkewMs?: number;
  /** Per-request timeout towards the authorization server. Default 30000. */
  timeoutMs?: number;
}

/** One OAuth client of one authorization server, with its tokens. */
export interface OAuthClient {
  /** Signs in with the loopback redirect (opens the browser via `openBrowser`) and stores the tokens. */
  loginWithLoopback(options?: LoopbackLoginOptions): Promise<TokenStatus>;
  /** Signs in by paste (SSH, no browser) and stores the tokens. */
  loginManually(options: ManualLoginOptions): Promise<TokenStatus>;
  /** Signs in with the device grant and stores the tokens. */
  loginWithDevice(options: DeviceLoginOptions): Promise<TokenStatus>;
  /** A valid access token (renewed before expiry; client credentials fetched as needed). */
  accessToken(): Promise<string>;
  /** After a 401 with `rejected`: renew once (single-flight) and return the token to retry with. */
  unauthorized(rejected: string): Promise<string>;
  /** `fetch` with `Authorization: Bearer …`, retried once with a renewed token on a 401. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /** Revokes at the server where it supports RFC 7009, then forgets the tokens. */
  logout(): Promise<{ revoked: boolean; hadTokens: boolean }>;
  /** Signed-in state and expiry, never a token. */
  status(): Promise<TokenStatus>;
  /** The token manager (its `renewals` count is handy in tests and status views). */
  readonly manager: TokenManager;
  /** The protocol context, for the lower-level flow functions. */
  readonly context: ServerContext;
}

/**
 * Creates an OAuth client: sign-in flows, a token store, renewal before expiry and on 401.
 * @example
 * const client = createOAuthClient({
 *   issuer: "https://login.example.com",
 *   clientId: "my-registered-client",
 *   scopes: ["openid", "offline_access"],
 *   store: createFileTokenStore({ path: "./tokens.json" }),
 *   openBrowser: (url) => console.log(`open ${url}`),
 * });
 * await client.loginWithLoopback();
 * const response = await client.fetch("https://api.example.com/v1/models");
 */
export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const { flow = "pkce", store = createMemoryTokenStore(), key = options.clientId } = options;
  const now = options.now ?? Date.now;
  const context = createServerContext({
    issuer: options.issuer,
    clientId: options.clientId,
    now,
    ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    ...(options.clientAuthMethod === undefined
      ? {}
      : { clientAuthMethod: options.clientAuthMethod }),
    ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const manager = createTokenManager({
    key,
    store,
    now,
    ...(options.refreshSkewMs === undefined ? {} : { refreshSkewMs: options.refreshSkewMs }),
    renew: async (current) => {
      if (flow === "client_credentials") return fetchClientCredentials(context);
      if (current === undefined) {
        throw new OAuthError({ code: "login_required", message: "not signed in; sign in first" });
      }
      return refreshTokens(context, current);
    },
  });
  const keep = async (tokens: TokenSet) => {
    await store.set(key, tokens);
    manager.reset();
    return manager.status();
  };
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));

  return {
    context,
    manager,
    async loginWithLoopback(loginOptions = {}) {
      const openBrowser = loginOptions.openBrowser ?? options.openBrowser;
      return keep(
        await loginWithLoopback(context, {
          ...loginOptions,
          ...(openBrowser === undefined ? {} : { openBrowser }),
        }),
      );
    },
    async loginManually(loginOptions) {
      return keep(await loginManually(context, loginOptions));
    },
    async loginWithDevice(loginOptions) {
      return keep(await loginWithDevice(context, loginOptions));
    },
    accessToken: () => manager.accessToken(),
    unauthorized: (rejected) => manager.unauthorized(rejected),
    async fetch(input, init = {}) {
      const send = (token: string) => {
        const headers = new Headers(init.headers);
        headers.set("authorization", `Bearer ${token}`);
        return fetchImpl(String(input), { ...init, headers });
      };
      const token = await manager.accessToken();
      const response = await send(token);
      if (response.status !== 401) return response;
      await response.body?.cancel().catch(() => {});
      return send(await manager.unauthorized(token));
    },
    async logout() {
      const tokens = await store.get(key);
      let revoked = false;
      if (tokens !== undefined && flow !== "client_credentials") {
        revoked = await revokeTokens(context, tokens);
      }
      const hadTokens = await store.delete(key);
      manager.reset();
      return { revoked, hadTokens };
    },
    status: () => manager.status(),
  };
}
