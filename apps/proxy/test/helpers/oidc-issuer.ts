import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, jwtVerify } from "jose";
import Provider from "oidc-provider";
import { createTestBrowser } from "../../../../packages/oauth/test/helpers/browser.js";
import { type MockUpstream, startMockUpstream } from "./mock-upstream.js";

/** The audience the JWKS-checking upstream accepts. */
export const GATEWAY_AUDIENCE = "urn:switchyard:gateway";

/** A local OpenID provider (oidc-provider) issuing short-lived JWT access tokens. */
export interface LocalIssuer {
  issuer: string;
  /** Successful grants by grant_type. */
  grants: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Starts oidc-provider on 127.0.0.1: client `proxy-cli` (public, PKCE, refresh with rotation)
 * and `proxy-service` (client credentials, `secret`). Access tokens are JWTs for
 * {@link GATEWAY_AUDIENCE} living `ttlSeconds`.
 */
export async function startLocalIssuer(options: {
  ttlSeconds: number;
  serviceSecret: string;
}): Promise<LocalIssuer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "proxy-cli",
        application_type: "native",
        token_endpoint_auth_method: "none",
        redirect_uris: ["http://127.0.0.1/callback"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      },
      {
        client_id: "proxy-service",
        client_secret: options.serviceSecret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
      },
    ],
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => GATEWAY_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: "api",
          audience: GATEWAY_AUDIENCE,
          accessTokenFormat: "jwt",
          accessTokenTTL: options.ttlSeconds,
        }),
      },
    },
    scopes: ["openid", "offline_access", "api"],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed("refresh_token"),
    ttl: { Grant: 3600, IdToken: 3600, Interaction: 600, RefreshToken: 3600, Session: 3600 },
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

/** Plays the user in a browser: follows `url` through the provider's login and consent pages. */
export function approveInBrowser(url: string): Promise<unknown> {
  return createTestBrowser().drive(url, { fill: { login: "dana", password: "x" } });
}

/**
 * An OpenAI-compatible upstream that accepts only a bearer JWT signed by the issuer's JWKS
 * (audience, issuer, expiry checked by `jose`); everything else gets a 401.
 */
export async function startJwksCheckingUpstream(
  issuer: string,
): Promise<
  MockUpstream & { accepted: string[]; counts: { rejected: number }; rejectNext: Set<string> }
> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const accepted: string[] = [];
  const rejectNext = new Set<string>();
  const counts = { rejected: 0 };
  const upstream = await startMockUpstream(async (request, res) => {
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
    let ok = false;
    if (token !== undefined && !rejectNext.delete(token)) {
      try {
        await jwtVerify(token, jwks, { issuer, audience: GATEWAY_AUDIENCE });
        ok = true;
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      counts.rejected += 1;
      res.writeHead(401, {
        "content-type": "application/json",
        "www-authenticate": 'Bearer error="invalid_token"',
      });
      res.end(
        JSON.stringify({
          error: { message: "invalid or expired token", type: "invalid_request_error" },
        }),
      );
      return;
    }
    accepted.push(token!);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 0,
        model: String(request.body?.model ?? "m"),
        choices: [
          { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
  return Object.assign(upstream, { accepted, rejectNext, counts });
}
