import type { BackendRequest, BackendResult } from "../types.js";
import type { HttpTarget } from "./http-target.js";
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
  const { usage, error } = await relay({ response, sink: request.response, ...options });
  return {
    status: response.status,
    target: target.id,
    ...(failovers > 0 ? { failovers } : {}),
    ...(usage === undefined ? {} : { usage }),
    ...(error === undefined ? {} : { error }),
  };
}

/**
 * Sends one request through a backend's target pool and turns a non-2xx answer into the
 * caller-dialect ProxyError (upstream message kept, secrets redacted).
 */
export async function sendOrThrow(options: {
  pool: TargetPool;
  request: BackendRequest;
  build: (target: HttpTarget) => TargetCall;
  estimatedTokens?: number;
  backend: string;
  dialect: "anthropic" | "openai";
  secrets: readonly string[];
}): Promise<PooledResponse> {
  const { pool, request, build, estimatedTokens, backend, dialect, secrets } = options;
  const sent = await pool.send({
    stickyKey: request.sessionKey,
    signal: request.signal,
    build,
    ...(estimatedTokens === undefined ? {} : { estimatedTokens }),
  });
  const { response } = sent;
  if (response.status < 200 || response.status >= 300) {
    throw await upstreamErrorFrom({ response, backend, dialect, secrets });
  }
  return sent;
}
