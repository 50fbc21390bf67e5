import type { OpenAIBackendConfig } from "../../config/types.js";
import type { BackendFactory } from "../create-backends.js";
import { backendSecrets, firstTarget, mergeTimeouts, resolveTargets } from "../http/http-target.js";
import { createModelCache } from "../http/model-cache.js";
import { relayBody, relayStream } from "../http/relay.js";
import { createUpstreamClient } from "../http/upstream.js";
import { upstreamErrorFrom } from "../http/upstream-error.js";
import type { Backend, BackendModel, BackendRequest } from "../types.js";
import { countTokensViaEstimate, handleMessagesViaOpenAI } from "./messages.js";

/**
 * The `openai` backend: any OpenAI-compatible base URL (OpenAI, Groq, OpenRouter, vLLM, …).
 * `/v1/chat/completions` passes through natively with `Authorization: Bearer <backend key>`;
 * `/v1/messages` is translated, streaming included; `count_tokens` is estimated locally.
 */
export const createOpenAIBackend: BackendFactory = ({ name, config, context }) => {
  const own = config as OpenAIBackendConfig;
  const targets = resolveTargets(name, own);
  const secrets = backendSecrets(own, targets);
  const upstream = createUpstreamClient({
    backend: name,
    timeouts: mergeTimeouts(context.timeouts, own.timeouts),
  });
  const userAgent = `switchyard/${context.version}`;

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

  const send = async (request: BackendRequest, body: string | Uint8Array) => {
    const target = firstTarget(name, targets);
    const response = await upstream.request({
      url: `${target.baseUrl}/chat/completions`,
      headers: headersFor(request.stream, target.apiKey),
      body,
      signal: request.signal,
    });
    if (response.status >= 400) {
      throw await upstreamErrorFrom({ response, backend: name, dialect: "openai", secrets });
    }
    return { response, target };
  };

  const models = createModelCache(async (signal) => {
    if (own.models !== undefined) return own.models.map((id): BackendModel => ({ id }));
    const target = firstTarget(name, targets);
    const response = await upstream.request({
      url: `${target.baseUrl}/models`,
      method: "GET",
      headers: headersFor(false, target.apiKey),
      signal,
      firstByteMs: 2000,
      totalMs: 3000,
    });
    const text = await response.body.text();
    if (response.status !== 200) return [];
    const parsed = JSON.parse(text) as { data?: Array<{ id?: unknown; created?: unknown }> };
    return (parsed.data ?? []).flatMap((m) =>
      typeof m.id === "string"
        ? [{ id: m.id, createdAt: typeof m.created === "number" ? m.created : 0 }]
        : [],
    );
  });

  const backend: Backend = {
    name,
    type: "openai",
    listModels: models.get,
    async handle(request) {
      if (request.endpoint === "count_tokens") return countTokensViaEstimate(request);
      if (request.endpoint === "messages") return handleMessagesViaOpenAI(request, { name, send });
      const { response, target } = await send(
        request,
        request.rawBody ?? JSON.stringify(request.body),
      );
      const usage = request.stream
        ? await relayStream({ response, sink: request.response, dialect: "openai" })
        : await relayBody({ response, sink: request.response, dialect: "openai" });
      return {
        status: response.status,
        target: target.id,
        ...(usage === undefined ? {} : { usage }),
      };
    },
    close: () => upstream.close(),
  };
  return backend;
};
