import type { AnthropicBackendConfig } from "../../config/types.js";
import type { BackendFactory } from "../create-backends.js";
import { relayPassThrough, sendOrThrow } from "../http/backend-result.js";
import {
  basePath,
  createTargetUrls,
  firstTarget,
  joinUrl,
  setUpHttpBackend,
} from "../http/http-target.js";
import { createUpstreamModelCache } from "../http/model-cache.js";
import { estimateTokens } from "../http/target-pool.js";
import type { Backend, BackendRequest } from "../types.js";
import { handleChatCompletionsViaAnthropic } from "./chat-completions.js";
import { countResponsesViaAnthropic, handleResponsesViaAnthropic } from "./responses.js";

/** The `anthropic-version` sent when the caller sent none (e.g. a translated OpenAI request). */
export const defaultAnthropicVersion = "2023-06-01";

/**
 * The `anthropic` backend (Anthropic Messages API). `/v1/messages` and `count_tokens` pass
 * through natively: body and stream bytes untouched, the backend key as `x-api-key`,
 * `anthropic-version`/`anthropic-beta` forwarded. `/v1/chat/completions` and `/v1/responses`
 * are translated; `/v1/responses/input_tokens` is translated to the upstream's `count_tokens`.
 */
export const createAnthropicBackend: BackendFactory = ({ name, config, context }) => {
  const own = config as AnthropicBackendConfig;
  const { targets, secrets, pool, userAgent, auth } = setUpHttpBackend(name, own, context);
  // `/v1` unless the base's path already ends with it (its query, if any, stays last).
  const v1 = (baseUrl: string, path: string) =>
    joinUrl(baseUrl, basePath(baseUrl).endsWith("/v1") ? path : `/v1${path}`);
  const urlOf = createTargetUrls((target, path) => v1(target.baseUrl, path));

  /** Headers for an upstream call: an allow-list from the client, never its credential. */
  const headersFor = (request: Pick<BackendRequest, "headers" | "stream">, apiKey?: string) => {
    const headers: Record<string, string> = {
      ...own.headers,
      "content-type": "application/json",
      accept: request.stream ? "text/event-stream" : "application/json",
      "user-agent": userAgent,
      "anthropic-version": request.headers["anthropic-version"] ?? defaultAnthropicVersion,
    };
    const beta = request.headers["anthropic-beta"];
    if (beta !== undefined) headers["anthropic-beta"] = beta;
    if (apiKey !== undefined) headers["x-api-key"] = apiKey;
    return headers;
  };

  // Each target gets its own URL and key; the pool picks one and fails over before any
  // byte reaches the client.
  const send = (request: BackendRequest, path: string, body: string | Uint8Array) =>
    sendOrThrow({
      pool,
      request,
      estimatedTokens: path === "/messages" ? estimateTokens(body) : undefined,
      build: (target) => ({
        url: urlOf(target, path),
        headers: headersFor(request, target.apiKey),
        body,
      }),
      backend: name,
      dialect: "anthropic",
      secrets,
      auth,
    });

  const models = createUpstreamModelCache(own.models, () => {
    const target = firstTarget(name, targets);
    return {
      client: pool.first()?.client,
      url: v1(target.baseUrl, "/models?limit=100"),
      headers: headersFor({ headers: {}, stream: false }, target.apiKey),
      // Anthropic reports an RFC 3339 time; OpenAI-style lists report seconds.
      createdAt: (m) =>
        typeof m.created_at === "string" ? Math.floor(Date.parse(m.created_at) / 1000) : 0,
    };
  });

  const backend: Backend = {
    name,
    type: "anthropic",
    listModels: models.get,
    async handle(request) {
      if (request.endpoint === "chat_completions") {
        return handleChatCompletionsViaAnthropic(request, { name, send, secrets });
      }
      if (request.endpoint === "responses") {
        return handleResponsesViaAnthropic(request, { name, send, secrets });
      }
      if (request.endpoint === "responses_input_tokens") {
        return countResponsesViaAnthropic(request, { name, send, secrets });
      }
      const path = request.endpoint === "count_tokens" ? "/messages/count_tokens" : "/messages";
      const sent = await send(request, path, request.rawBody ?? JSON.stringify(request.body));
      return relayPassThrough(request, sent, { dialect: "anthropic", backend: name, secrets });
    },
    poolSnapshot: () => pool.snapshot(),
    ...(auth === undefined ? {} : { authStatus: () => auth.status() }),
    close: () => pool.close(),
  };
  return backend;
};
