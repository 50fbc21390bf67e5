import type { OpenAIBackendConfig } from "../../config/types.js";
import type { BackendFactory } from "../create-backends.js";
import { relayPassThrough, sendOrThrow } from "../http/backend-result.js";
import { createTargetUrls, firstTarget, joinUrl, setUpHttpBackend } from "../http/http-target.js";
import { createUpstreamModelCache } from "../http/model-cache.js";
import { estimateTokens } from "../http/target-pool.js";
import { answerUpstreamTokenCount, countTokensViaEstimate } from "../token-count.js";
import type { Backend, BackendRequest } from "../types.js";
import { handleMessagesViaOpenAI } from "./messages.js";
import { handleResponsesViaChat } from "./responses.js";
import {
  createResponsesOnlyMatcher,
  handleChatViaResponses,
  handleMessagesViaResponses,
  OPENAI_RESPONSES_ONLY,
} from "./responses-upstream.js";

/**
 * The `openai` backend: any OpenAI-compatible base URL (OpenAI, Groq, OpenRouter, vLLM, …).
 * `/v1/chat/completions` passes through natively with `Authorization: Bearer <backend key>`;
 * `/v1/messages` is translated, streaming included; `count_tokens` is estimated locally.
 * `/v1/responses/input_tokens` goes to the upstream where `/v1/responses` would go natively,
 * and is estimated locally where it would be translated.
 * `/v1/responses` passes through to the upstream's `/responses` (`responses: "native"`,
 * the default on api.openai.com) or is translated to `/chat/completions`; models listed in
 * `responsesOnly` get every endpoint through the upstream's `/responses`.
 */
export const createOpenAIBackend: BackendFactory = ({ name, config, context }) => {
  const own = config as OpenAIBackendConfig;
  const { targets, secrets, pool, userAgent, auth } = setUpHttpBackend(name, own, context);

  // OpenAI's reasoning models refuse `max_tokens`; most other servers only know it.
  const onOpenAI = targets.length > 0 && targets.every((t) => isOpenAIHost(t.baseUrl));
  const maxTokensField = own.maxTokensField ?? (onOpenAI ? "max_completion_tokens" : "max_tokens");
  const responsesMode = own.responses ?? (onOpenAI ? "native" : "chat");
  const responsesOnly = createResponsesOnlyMatcher(
    own.responsesOnly ?? (onOpenAI ? OPENAI_RESPONSES_ONLY : false),
  );

  const headersFor = (stream: boolean, apiKey?: string) => {
    const headers: Record<string, string> = {
      ...own.headers,
      "content-type": "application/json",
      accept: stream ? "text/event-stream" : "application/json",
      "user-agent": userAgent,
    };
    if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
    return headers;
  };

  const urlOf = createTargetUrls((target, path) => joinUrl(target.baseUrl, path));
  // Each target gets its own URL and key; the pool picks one and fails over before any
  // byte reaches the client.
  const send = (request: BackendRequest, body: string | Uint8Array, path = "/chat/completions") =>
    sendOrThrow({
      pool,
      request,
      // A token count uses no generation headroom.
      estimatedTokens: path === COUNT_PATH ? undefined : estimateTokens(body),
      build: (target) => ({
        url: urlOf(target, path),
        headers: headersFor(request.stream, target.apiKey),
        body,
      }),
      backend: name,
      dialect: "openai",
      secrets,
      auth,
    });

  const models = createUpstreamModelCache(own.models, () => {
    const target = firstTarget(name, targets);
    return {
      client: pool.first()?.client,
      url: joinUrl(target.baseUrl, "/models"),
      headers: headersFor(false, target.apiKey),
      createdAt: (m) => (typeof m.created === "number" ? m.created : 0),
    };
  });

  const backend: Backend = {
    name,
    type: "openai",
    listModels: models.get,
    async handle(request) {
      if (request.endpoint === "count_tokens") return countTokensViaEstimate(request);
      if (request.endpoint === "responses_input_tokens") {
        if (responsesMode !== "native" && !responsesOnly(request.model)) {
          return countTokensViaEstimate(request);
        }
        // The upstream speaks Responses: it counts with its own tokenizer.
        const body = request.rawBody ?? JSON.stringify(request.body);
        const sent = await send(request, body, COUNT_PATH);
        return answerUpstreamTokenCount(request, sent, { backend: name });
      }
      if (request.endpoint === "responses") {
        if (responsesMode === "native" || responsesOnly(request.model)) {
          const sent = await send(
            request,
            request.rawBody ?? JSON.stringify(request.body),
            "/responses",
          );
          return relayPassThrough(request, sent, { dialect: "responses", backend: name, secrets });
        }
        return handleResponsesViaChat(request, {
          name,
          send,
          secrets,
          maxTokensField,
          onOpenAI,
          ...(own.reasoningEffort === undefined ? {} : { reasoningEffort: own.reasoningEffort }),
        });
      }
      if (responsesOnly(request.model)) {
        // Built only for the models that go through the upstream's `/responses`, not per request.
        const native = {
          name,
          secrets,
          sendResponses: (r: BackendRequest, b: string) => send(r, b, "/responses"),
        };
        return request.endpoint === "messages"
          ? handleMessagesViaResponses(request, native)
          : handleChatViaResponses(request, native);
      }
      if (request.endpoint === "messages") {
        return handleMessagesViaOpenAI(request, {
          name,
          send,
          secrets,
          maxTokensField,
          ...(own.reasoningEffort === undefined ? {} : { reasoningEffort: own.reasoningEffort }),
        });
      }
      const sent = await send(request, request.rawBody ?? JSON.stringify(request.body));
      return relayPassThrough(request, sent, { dialect: "openai", backend: name, secrets });
    },
    poolSnapshot: () => pool.snapshot(),
    ...(auth === undefined ? {} : { authStatus: () => auth.status() }),
    close: () => pool.close(),
  };
  return backend;
};

/** The Responses API's token count. */
const COUNT_PATH = "/responses/input_tokens";

/** True for OpenAI's own API (api.openai.com), not a compatible server. */
function isOpenAIHost(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === "api.openai.com";
  } catch {
    return false;
  }
}
