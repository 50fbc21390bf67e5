import { discardResponse } from "@switchyard/pool";
import type { BearerAuth } from "../../auth/backend-auth.js";
import type { BackendRequest, BackendResult } from "../types.js";
import type { HttpTarget } from "./http-target.js";
import { withEncodedForms } from "./redact-upstream.js";
import { relayBody, relayStream } from "./relay.js";
import type { PooledResponse, TargetCall, TargetPool } from "./target-pool.js";
import { upstreamErrorFrom } from "./upstream-error.js";

/**
 * Relays a pooled upstream answer to the client untouched (stream or whole body; error events
 * redacted) and reports the result: status, serving target, failovers, the usage the relay
 * saw, and an error code when a stream ended early.
 */
export async function relayPassThrough(
  request: BackendRequest,
  sent: PooledResponse,
  options: {
    /** `responses`: a native Responses stream (its own usage fields and closing events). */
    dialect: "anthropic" | "openai" | "responses";
    backend: string;
    secrets: readonly string[];
  },
): Promise<BackendResult> {
  const { response, target, failovers } = sent;
  const relay = request.stream ? relayStream : relayBody;
  const { dialect, backend, secrets } = options;
  const { usage, error, status } = await relay({
    response,
    sink: request.response,
    dialect,
    backend,
    secrets,
  });
  // Built member by member: this runs for every pass-through request (no spread temporaries).
  const result: BackendResult = { status: status ?? response.status, target: target.id };
  if (failovers > 0) result.failovers = failovers;
  if (usage !== undefined) result.usage = usage;
  if (error !== undefined) result.error = error;
  return result;
}

/**
 * Sends one request through a backend's target pool and turns a non-2xx answer into the
 * caller-dialect ProxyError (upstream message kept, secrets redacted). With `auth` (an OIDC
 * backend) every call carries `Authorization: Bearer <token>`; a 401 renews the token once
 * (shared by every request that saw the same token) and retries once.
 */
export async function sendOrThrow(options: {
  pool: TargetPool;
  request: BackendRequest;
  build: (target: HttpTarget) => TargetCall;
  estimatedTokens?: number | undefined;
  backend: string;
  dialect: "anthropic" | "openai";
  secrets: readonly string[];
  auth?: BearerAuth | undefined;
}): Promise<PooledResponse> {
  const { pool, request, build, estimatedTokens, backend, dialect, auth } = options;
  const send = (token: string | undefined) =>
    pool.send({
      stickyKey: request.sessionKey,
      signal: request.signal,
      build:
        token === undefined
          ? build
          : (target) => {
              const call = build(target);
              call.headers.authorization = `Bearer ${token}`;
              return call;
            },
      estimatedTokens,
    });
  let token = auth === undefined ? undefined : await auth.accessToken();
  let sent = await send(token);
  if (auth !== undefined && token !== undefined && sent.response.status === 401) {
    discardResponse(sent.response);
    token = await auth.unauthorized(token);
    sent = await send(token);
  }
  const { response } = sent;
  if (response.status < 200 || response.status >= 300) {
    // The upstream may echo the bearer token in its error text (or its base64 form).
    const secrets =
      token === undefined ? options.secrets : [...options.secrets, ...withEncodedForms([token])];
    throw await upstreamErrorFrom({ response, backend, dialect, secrets });
  }
  return sent;
}
