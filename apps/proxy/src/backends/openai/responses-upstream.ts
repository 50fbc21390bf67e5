import {
  type AnthropicMessagesRequest,
  convertAnthropicRequestToOpenAI,
  convertOpenAIRequestToResponses,
  convertOpenAIResponseToAnthropic,
  convertResponsesResponseToOpenAI,
  type OpenAIChatRequest,
  type ResponsesResponse,
} from "@switchyard/openai-compat";
import { globToRegExp } from "../../server/routing.js";
import { readJson } from "../http/read-json.js";
import {
  responsesToAnthropicTranslation,
  responsesToOpenAITranslation,
  responsesUsageSummary,
} from "../http/responses-translations.js";
import type { PooledResponse } from "../http/target-pool.js";
import { pipeTranslatedStream } from "../http/translate-stream.js";
import type { BackendRequest, BackendResult } from "../types.js";

/** Model families OpenAI serves only on `/v1/responses`. */
export const OPENAI_RESPONSES_ONLY = [
  "*codex*",
  "o1-pro*",
  "o3-pro*",
  "*deep-research*",
  "computer-use-preview*",
];

/** Whether a model is Responses-only under a backend's `responsesOnly` setting. */
export function createResponsesOnlyMatcher(
  setting: boolean | readonly string[] | undefined,
): (model: string) => boolean {
  if (setting === true) return () => true;
  if (setting === false || setting === undefined || setting.length === 0) return () => false;
  const patterns = setting.map(globToRegExp);
  return (model) => patterns.some((p) => p.test(model));
}

/** What the openai backend lends the Responses-only path. */
export interface ResponsesSender {
  name: string;
  /** The backend's secrets, redacted from upstream error events. */
  secrets: readonly string[];
  /** Sends `body` to the upstream's `/responses`. */
  sendResponses(request: BackendRequest, body: string): Promise<PooledResponse>;
}

/**
 * `/v1/chat/completions` for a model that only answers on `/v1/responses`: the request is
 * converted to a stateless Responses request, and the answer (JSON or SSE) back.
 */
export async function handleChatViaResponses(
  request: BackendRequest,
  sender: ResponsesSender,
): Promise<BackendResult> {
  const chat = request.body as unknown as OpenAIChatRequest;
  const body = convertOpenAIRequestToResponses(chat, { unsupportedParameters: "drop" });
  return viaResponses(request, sender, body, "openai", chat.stream_options?.include_usage === true);
}

/**
 * `/v1/messages` for a model that only answers on `/v1/responses` (Claude Code reaching a
 * Codex model): Anthropic → Chat Completions → Responses, and the answer back the same way.
 */
export async function handleMessagesViaResponses(
  request: BackendRequest,
  sender: ResponsesSender,
): Promise<BackendResult> {
  const anthropic = request.body as unknown as AnthropicMessagesRequest;
  const chat = convertAnthropicRequestToOpenAI(anthropic, {
    maxTokensField: "max_completion_tokens",
  });
  const body = convertOpenAIRequestToResponses(chat, { unsupportedParameters: "drop" });
  return viaResponses(request, sender, body, "anthropic", false);
}

async function viaResponses(
  request: BackendRequest,
  sender: ResponsesSender,
  body: ReturnType<typeof convertOpenAIRequestToResponses>,
  caller: "openai" | "anthropic",
  includeUsage: boolean,
): Promise<BackendResult> {
  body.model = request.model;
  if (request.stream) body.stream = true;
  // Unset rather than deleted (see sendTranslatedMessages): the same JSON, a fast object.
  else body.stream = undefined;
  const { response, target, failovers } = await sender.sendResponses(request, JSON.stringify(body));
  const result: BackendResult = { status: 200, target: target.id };
  if (failovers > 0) result.failovers = failovers;
  if (!request.stream) {
    const answer = (await readJson(response, sender.name, {
      dialect: "openai",
      secrets: sender.secrets,
    })) as ResponsesResponse;
    const completion = convertResponsesResponseToOpenAI(answer);
    request.response.json(
      200,
      caller === "openai" ? completion : convertOpenAIResponseToAnthropic(completion),
    );
    const usage = responsesUsageSummary(answer.usage);
    if (usage !== undefined) result.usage = usage;
    return result;
  }
  const translation =
    caller === "openai"
      ? responsesToOpenAITranslation({
          backend: sender.name,
          includeUsage,
          secrets: sender.secrets,
        })
      : responsesToAnthropicTranslation({ backend: sender.name, secrets: sender.secrets });
  const error = await pipeTranslatedStream({
    response,
    sink: request.response,
    callerDialect: caller,
    translation,
    backend: sender.name,
  });
  const usage = translation.usage();
  if (usage !== undefined) result.usage = usage;
  if (error !== undefined) result.error = error;
  return result;
}
