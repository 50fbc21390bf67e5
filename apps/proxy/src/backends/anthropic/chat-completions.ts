import {
  type AnthropicMessagesRequest,
  convertOpenAIRequestToAnthropic,
  type OpenAIChatRequest,
} from "@switchyard/openai-compat";
import { matchOverageHeaders } from "@switchyard/overage-guard";
import { anthropicToOpenAITranslation } from "../http/stream-translations.js";
import type { PooledResponse } from "../http/target-pool.js";
import { pipeTranslatedStream } from "../http/translate-stream.js";
import type { BackendRequest, BackendResult } from "../types.js";
import { convertAnthropicBodyToOpenAI } from "./convert-response.js";

/** What the anthropic backend lends the translated path. */
export interface AnthropicSender {
  name: string;
  send(request: BackendRequest, path: string, body: string): Promise<PooledResponse>;
  /** The backend's secrets, redacted from upstream error events. */
  secrets: readonly string[];
}

/**
 * Sends a request translated to Anthropic's Messages API to the upstream's `/v1/messages`
 * (the routed model, the client's stream flag) and starts its result: the target, failovers,
 * and overage billing from the upstream's headers (a translated answer carries none of them,
 * so it is reported here).
 */
export async function sendTranslatedMessages(
  request: BackendRequest,
  sender: AnthropicSender,
  anthropic: AnthropicMessagesRequest,
): Promise<{ response: PooledResponse["response"]; result: BackendResult }> {
  anthropic.model = request.model;
  if (request.stream) anthropic.stream = true;
  // Unset rather than deleted (JSON.stringify leaves it out either way): `delete` of a key
  // other than the last one added turns the object into a slow dictionary.
  else anthropic.stream = undefined;
  const { response, target, failovers } = await sender.send(
    request,
    "/messages",
    JSON.stringify(anthropic),
  );
  const overage = matchOverageHeaders(response.headers, response.status);
  const result: BackendResult = { status: 200, target: target.id };
  if (overage !== undefined) result.billingSignals = [overage.kind];
  if (failovers > 0) result.failovers = failovers;
  return { response, result };
}

/**
 * `/v1/chat/completions` on an Anthropic upstream: the OpenAI request is converted with
 * openai-compat (parameters Anthropic cannot honour are dropped), sent to `/v1/messages`,
 * and the answer (JSON or SSE) converted back event by event.
 */
export async function handleChatCompletionsViaAnthropic(
  request: BackendRequest,
  sender: AnthropicSender,
): Promise<BackendResult> {
  const openai = request.body as unknown as OpenAIChatRequest;
  const anthropic = convertOpenAIRequestToAnthropic(openai, { unsupportedParameters: "drop" });
  const { response, result } = await sendTranslatedMessages(request, sender, anthropic);
  if (!request.stream) {
    const { body, usage } = await convertAnthropicBodyToOpenAI(
      response,
      sender.name,
      sender.secrets,
    );
    request.response.json(200, body);
    if (usage !== undefined) result.usage = usage;
    return result;
  }
  const translation = anthropicToOpenAITranslation({
    backend: sender.name,
    includeUsage: openai.stream_options?.include_usage === true,
    secrets: sender.secrets,
  });
  const error = await pipeTranslatedStream({
    response,
    sink: request.response,
    callerDialect: "openai",
    translation,
    backend: sender.name,
  });
  const usage = translation.usage();
  if (usage !== undefined) result.usage = usage;
  if (error !== undefined) result.error = error;
  return result;
}
