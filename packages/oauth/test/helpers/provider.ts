import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** The audience the test API accepts (a resource indicator: access tokens are then JWTs). */
export const API_AUDIENCE = "urn:switchyard:test-api";
export const SERVICE_SECRET = "service-secret-for-tests-only-0123456789";

/** A real OpenID provider (panva's oidc-provider) on 127.0.0.1 with test clients. */
export interface TestProvider {
  issuer: string;
  /** Successful grants by grant_type (`refresh_token`, `client_credentials`, …). */
  grants: Record<string, number>;
  close(): Promise<void>;
}

/** Options of {@link startTestProvider}; the defaults are this package's own tests'. */
export interface TestProviderOptions {
  /** Seconds an access token lives. Default 3600. */
  accessTokenTtl?: number;
  /** The public client (PKCE, device flow) and the confidential one (client credentials). */
  clientIds?: { cli: string; service: string };
  serviceSecret?: string;
  /** The audience of the JWT access tokens. */
  audience?: string;
}

/**
 * Starts oidc-provider with dev interactions (its own login and consent pages), PKCE required,
 * device flow, client credentials, revocation, refresh-token rotation and JWT access tokens.
 * The proxy's tests use it too (apps/proxy/test/helpers/oidc-issuer.ts).
 */
export async function startTestProvider(options: TestProviderOptions = {}): Promise<TestProvider> {
  const {
    accessTokenTtl = 3600,
    clientIds = { cli: "cli", service: "service" },
    serviceSecret = SERVICE_SECRET,
    audience = API_AUDIENCE,
  } = options;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientIds.cli,
        application_type: "native",
        token_endpoint_auth_method: "none",
        redirect_uris: ["http://127.0.0.1/callback"],
        grant_types: [
          "authorization_code",
          "refresh_token",
          "urn:ietf:params:oauth:grant-type:device_code",
        ],
        response_types: ["code"],
      },
      {
        client_id: clientIds.service,
        client_secret: serviceSecret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
      },
    ],
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: "api",
          audience,
          accessTokenFormat: "jwt",
          accessTokenTTL: accessTokenTtl,
        }),
      },
    },
    scopes: ["openid", "offline_access", "api"],
    pkce: { required: () => true },
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      DeviceCode: 600,
      Grant: 86_400,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86_400,
      Session: 86_400,
    },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed("refresh_token"),
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub }),
    }),
  });
  const grants: Record<string, number> = {};
  provider.on("grant.success", (ctx: { oidc: { params: { grant_type?: string } } }) => {
    const type = ctx.oidc.params.grant_type ?? "unknown";
    grants[type] = (grants[type] ?? 0) + 1;
  });
  server.on("request", provider.callback());
  return {
    issuer,
    grants,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
