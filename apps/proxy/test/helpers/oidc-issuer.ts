import { createRemoteJWKSet, jwtVerify } from "jose";
import { createTestBrowser } from "../../../../packages/oauth/test/helpers/browser.js";
import {
  startTestProvider,
  type TestProvider,
} from "../../../../packages/oauth/test/helpers/provider.js";
import { type MockUpstream, startMockUpstream } from "./mock-upstream.js";

/** The audience the JWKS-checking upstream accepts. */
export const GATEWAY_AUDIENCE = "urn:switchyard:gateway";

/** A local OpenID provider (oidc-provider) issuing short-lived JWT access tokens. */
export type LocalIssuer = TestProvider;

/**
 * The oauth package's test provider (oidc-provider on 127.0.0.1) with the proxy's clients:
 * `proxy-cli` (public: PKCE, device flow, refresh with rotation) and `proxy-service` (client
 * credentials). Access tokens are JWTs for {@link GATEWAY_AUDIENCE} living `ttlSeconds`.
 */
export function startLocalIssuer(options: {
  ttlSeconds: number;
  serviceSecret: string;
}): Promise<LocalIssuer> {
  return startTestProvider({
    accessTokenTtl: options.ttlSeconds,
    clientIds: { cli: "proxy-cli", service: "proxy-service" },
    serviceSecret: options.serviceSecret,
    audience: GATEWAY_AUDIENCE,
  });
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
